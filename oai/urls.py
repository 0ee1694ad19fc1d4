"""URLs of oai-pmh (filled in as the channel is built)."""

urlpatterns = []
