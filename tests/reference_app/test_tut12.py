"""Tutorial 12's test module, as the tutorial prints it, with three changes.

- ``StringGenerator`` comes from ``reference_app.tut12_testing`` (the
  tutorial's ``tut12`` module).
- ``CPWebCase`` binds the fixed port 54583 and owns the global engine,
  ``cherrypy.tree`` and ``cherrypy.server``: ``setup_server`` asks for an
  ephemeral port (``server.socket_port: 0``) and the client is pointed at
  the port actually bound, so parallel runs cannot collide.
- It runs in a pytest process of its own: the conftest beside it leaves it
  out when the folder is collected, and ``test_reference_tut12.py`` runs
  ``pytest tests/reference_app/test_tut12.py`` in a subprocess, so it cannot
  disturb the in-process servers of the other tests (and they cannot
  disturb it). Naming the file on the command line runs it directly.
"""

import cherrypy
from cherrypy.test import helper

from reference_app.tut12_testing import StringGenerator


class SimpleCPTest(helper.CPWebCase):
    @staticmethod
    def setup_server():
        cherrypy.tree.mount(StringGenerator(), "/", {})
        cherrypy.config.update({"server.socket_port": 0})

    @classmethod
    def setup_class(cls):
        super().setup_class()
        cls.PORT = cherrypy.server.bound_addr[1]

    def test_index(self):
        self.getPage("/")
        self.assertStatus("200 OK")

    def test_generate(self):
        self.getPage("/generate")
        self.assertStatus("200 OK")
