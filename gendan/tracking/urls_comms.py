"""Pages for the communication log, meetings, delay notices and reminder settings."""

from django.urls import path

from gendan.tracking import views_chatter
from gendan.tracking import views_comms as views

urlpatterns: list = [
    path("orders/<int:order_id>/communications/new/", views.order_communication_create,
         name="order_communication_create"),
    path("customers/<int:customer_id>/communications/", views.CustomerCommunicationListView.as_view(),
         name="customer_communications"),
    path("customers/<int:customer_id>/communications/new/", views.customer_communication_create,
         name="customer_communication_create"),
    path("communications/<int:pk>/", views.communication_detail, name="communication_detail"),
    path("communications/<int:pk>/follow-up-done/", views.communication_follow_up_done,
         name="communication_follow_up_done"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("action-items/<int:pk>/done/", views.action_item_done, name="action_item_done"),
    path("delay-notices/", views.delay_notice_list, name="delay_notice_list"),
    path("delay-notices/<int:pk>/", views.delay_notice_detail, name="delay_notice_detail"),
    path("reminders/settings/", views.reminder_settings, name="reminder_settings"),
    path("orders/<int:order_id>/chatter/", views_chatter.order_chatter_post, name="order_chatter_post"),
    path("mentions/<int:pk>/", views_chatter.mention_open, name="mention_open"),
]
