from gendan.tracking.urls_comms import urlpatterns as comms_urlpatterns

app_name = "tracking"

urlpatterns: list = [*comms_urlpatterns]
