from django.contrib.auth import views as auth_views
from django.urls import path

from gendan.accounts import views, views_regions

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.language_switch, name="language"),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("regions/", views_regions.region_list, name="region_list"),
    path("regions/<int:pk>/", views_regions.region_edit, name="region_edit"),
]
