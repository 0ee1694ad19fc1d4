"""URLs of feeds (filled in as the channel is built)."""

urlpatterns = []
