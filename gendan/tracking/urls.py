from django.urls import path

from gendan.tracking import views
from gendan.tracking.urls_comms import urlpatterns as comms_urlpatterns

app_name = "tracking"

urlpatterns = [
    path("board/", views.board, name="board"),
    path("team/", views.team_board, name="team"),
    path("milestones/", views.MilestoneListView.as_view(), name="milestone_list"),
    path("milestones/<int:pk>/actions/", views.milestone_actions, name="milestone_actions"),
    path("milestones/<int:pk>/<slug:action>/", views.milestone_action, name="milestone_action"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/<int:pk>/", views.template_detail, name="template_detail"),
    path("templates/<int:pk>/copy/", views.template_copy, name="template_copy"),
    path("templates/<int:pk>/edit/", views.template_update, name="template_update"),
    path("templates/<int:pk>/steps/", views.template_step_save, name="template_step_save"),
    path("templates/<int:pk>/steps/<int:step_id>/delete/", views.template_step_delete, name="template_step_delete"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/<int:pk>/delete/", views.calendar_day_delete, name="calendar_day_delete"),
    *comms_urlpatterns,
]
