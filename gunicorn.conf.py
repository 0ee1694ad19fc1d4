"""Gunicorn's settings for the portal (``gunicorn portal.wsgi --config gunicorn.conf.py``).

Sync workers, ``2 x cores + 1`` of them by default (Gunicorn's documentation, "How many
workers?"): a page costs CPU, not waiting, and the reverse proxy in front buffers slow clients.
Environment: ``BIND`` (default ``127.0.0.1:8000``), ``WEB_CONCURRENCY`` (workers),
``TLS_CERTIFICATE`` and ``TLS_KEY`` (serve HTTPS directly, as ``make serve`` does; behind a
proxy that terminates TLS leave them empty), ``FORWARDED_ALLOW_IPS`` (the proxy's addresses).
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
# A worker that takes longer than this on one request is killed and replaced (a page's own work
# is tens of milliseconds; the engine and every outbound call time out well before).
timeout = 30
graceful_timeout = 30
# Workers are replaced now and then, so memory a long run gathers is given back.
max_requests = 2000
max_requests_jitter = 200
certfile = os.environ.get("TLS_CERTIFICATE") or None
keyfile = os.environ.get("TLS_KEY") or None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
# One line per request: time, client, request line, status, bytes, microseconds.
access_log_format = '%(t)s %(h)s "%(r)s" %(s)s %(B)s %(D)sus'
