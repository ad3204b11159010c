"""Tutorial 8 whose "Replace" sends the string as it was generated, not as the
person edited it: "Replaced!" appears, the service keeps the original."""

from reference_app import tut08_ajax as tutorial

from ._pages import serve_page

TUTORIAL = 8
BREAKS = {"page-replace"}


def deviate() -> None:
    serve_page(
        tutorial,
        (
            '$("#the-string input").val(string);',
            '$("#the-string input").val(string); original = string;',
        ),
        (
            'data: {"another_string": $("#the-string input").val()}',
            'data: {"another_string": original}',
        ),
    )
