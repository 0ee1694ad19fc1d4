"""URLs of findability (filled in as the channel is built)."""

urlpatterns = []
