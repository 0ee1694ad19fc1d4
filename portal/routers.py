"""Database routing: the database cache on a connection of its own."""


class CacheRouter:
    """Sends Django's database cache to the ``cache`` database alias, a second connection to the
    same database outside the request's transaction.

    Each request runs in one transaction (``ATOMIC_REQUESTS``); on that connection a rate-limit
    count or the search circuit's state written by one request stayed invisible to the others
    until it ended, so parallel requests all read the count before any of them had added to it.
    """

    def _cache(self, model):
        return "cache" if model._meta.app_label == "django_cache" else None

    def db_for_read(self, model, **hints):
        return self._cache(model)

    def db_for_write(self, model, **hints):
        return self._cache(model)

    def allow_migrate(self, db, app_label, **hints):
        """Tables are made through ``default`` (``createcachetable`` included); the ``cache``
        alias is the same database and makes none."""
        return False if db == "cache" else None
