"""Roles are groups with the matrix permissions; account pages; Django admin for superusers only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from gendan.accounts.roles import ROLE_PERMISSIONS, Role, roles_sync

LOGIN = "/accounts/login/"


def _perm_names(group: Group) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")}


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_after_migrate_each_role_group_has_exactly_its_matrix_permissions(role):
    group = Group.objects.get(name=role.value)
    assert _perm_names(group) == set(ROLE_PERMISSIONS[role])


@pytest.mark.django_db
def test_every_permission_named_in_the_matrix_exists():
    existing = {f"{app}.{code}" for app, code in
                Permission.objects.values_list("content_type__app_label", "codename")}
    named = {p for perms in ROLE_PERMISSIONS.values() for p in perms}
    assert named - existing == set()


@pytest.mark.django_db
def test_admin_group_has_every_permission():
    assert Group.objects.get(name=Role.ADMIN.value).permissions.count() == Permission.objects.count()


@pytest.mark.django_db
def test_roles_sync_repairs_a_group_edited_by_hand():
    sales = Group.objects.get(name=Role.SALES.value)
    sales.permissions.add(Permission.objects.get(codename="delete_customer"))
    sales.permissions.remove(Permission.objects.get(codename="view_customer"))

    roles_sync()

    assert _perm_names(sales) == set(ROLE_PERMISSIONS[Role.SALES])


# --- account pages ---------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["accounts:profile", "accounts:password_change"])
def test_account_pages_need_login(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302 and response.url.startswith(LOGIN)


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_profile_shows_the_users_roles(role, make_user, client_for):
    user = make_user(role, language="en", email="someone@example.com")
    response = client_for(user).get(reverse("accounts:profile"))

    assert response.status_code == 200
    html = response.content.decode()
    assert str(Role(role).label) in html
    assert "someone@example.com" in html


# --- Django admin ------------------------------------------------------------------------


def test_superuser_may_open_django_admin(make_user, client_for):
    admin = make_user(is_superuser=True, is_staff=True)
    assert client_for(admin).get("/admin/").status_code == 200


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_staff_without_superuser_is_kept_out_of_django_admin(role, make_user, client_for):
    staff = make_user(role, is_staff=True)
    client = client_for(staff)

    for url in ("/admin/", "/admin/parties/customer/", "/admin/accounts/user/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/admin/login/"), url


def test_ordinary_user_is_kept_out_of_django_admin(make_user, client_for):
    response = client_for(make_user("sales")).get("/admin/")
    assert response.status_code == 302 and response.url.startswith("/admin/login/")
