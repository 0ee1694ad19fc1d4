"""URLs of citations (filled in as the channel is built)."""

urlpatterns = []
