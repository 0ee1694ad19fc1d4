"""URLs of open api (filled in as the channel is built)."""

urlpatterns = []
