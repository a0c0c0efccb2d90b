"""Workshop lines, the production schedule, daily progress, production instructions and exceptions."""
from django.urls import path

from gendan.planning import views, views_stages

app_name = "planning"

urlpatterns = [
    path("schedule/", views.schedule_view, name="schedule"),
    path("stages/", views_stages.stage_overview, name="stages"),
    path("stages/<int:pk>/", views_stages.stage_category, name="stage_category"),
    path("stages/remove/<int:pk>/", views_stages.stage_delete, name="stage_delete"),
    path("schedule/entries/<int:pk>/", views.schedule_entry_edit, name="schedule_entry"),
    path("progress/", views.ProgressListView.as_view(), name="progress_list"),
    path("progress/<int:pk>/", views.progress_entry, name="progress_entry"),
    path("progress/import/", views.import_upload, name="import_upload"),
    path("progress/import/template.xlsx", views.import_template, name="import_template"),
    path("progress/import/<uuid:token>/confirm/", views.import_confirm, name="import_confirm"),
    path("progress/import/jobs/<uuid:token>/", views.import_job, name="import_job"),
    path("exceptions/", views.ExceptionListView.as_view(), name="exception_list"),
    path("exceptions/new/", views.exception_create, name="exception_create"),
    path("exceptions/<int:pk>/", views.exception_detail, name="exception_detail"),
    path("instructions/", views.instruction_list, name="instruction_list"),
    path("instructions/<int:pk>/pdf/", views.instruction_pdf, name="instruction_pdf"),
]
