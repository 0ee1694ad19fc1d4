"""Settings of the portal server the browser tests start: ``portal.settings.dev`` with its files elsewhere.

The server's database comes from DATABASE_URL (``dev`` reads it); uploaded documents go to
BROWSER_TEST_MEDIA_ROOT, a temporary folder, instead of the checkout's var/media.
"""

import os

from portal.settings.dev import *  # noqa: F403

MEDIA_ROOT = os.environ["BROWSER_TEST_MEDIA_ROOT"]
