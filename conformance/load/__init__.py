"""Many clients at once: the load scenario and its oracles (``scenario``), the
Locust file that runs the same scenario beyond one process (``locustfile``,
loaded only by Locust in its own processes: ``import locust`` monkey-patches
the whole process with gevent), and ``command``, which drives Locust for
``python -m conformance load``."""
