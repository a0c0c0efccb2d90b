import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Assert on the English source messages: the Chinese catalogue is edited separately.

    HTTP requests still use the user's language (UserLanguageMiddleware); tests that read a
    page's text log in users whose language is English.
    """
    with translation.override("en"):
        yield


@pytest.fixture
def world(make_user):
    """Two sales teams in two regions, the people around them and five customers.

    ===========  ============  ========  ============  ======
    customer     salesperson   merch     team          region
    ===========  ============  ========  ============  ======
    A1           sales_a1      —         Team A        am
    A2           sales_a2      —         —             am
    B            sales_b       —         Team B        eu
    M            —             merch_a   —             —
    EU           —             —         —             eu
    ===========  ============  ========  ============  ======
    """
    from types import SimpleNamespace

    from tests.factories import CustomerFactory, RegionFactory, TeamFactory

    am = RegionFactory(code="am", name_en="Americas")
    eu = RegionFactory(code="eu", name_en="Europe")
    team_a = TeamFactory(name="Team A", region=am)
    team_b = TeamFactory(name="Team B", region=eu)
    w = SimpleNamespace(am=am, eu=eu, team_a=team_a, team_b=team_b)
    w.sales_a1 = make_user("sales", username="sales_a1", team=team_a, language="en")
    w.sales_a2 = make_user("sales", username="sales_a2", team=team_a, language="en")
    w.sales_b = make_user("sales", username="sales_b", team=team_b, language="en")
    w.merch_a = make_user("merchandiser", username="merch_a", team=team_a, language="en")
    w.manager_eu = make_user("manager", username="manager_eu", region=eu, language="en")
    w.gm = make_user("manager", username="gm", language="en")
    for role in ("finance", "admin", "qc", "warehouse", "production_planner", "purchasing"):
        setattr(w, role, make_user(role, username=role, language="en"))
    w.c_a1 = CustomerFactory(code="A1", salesperson=w.sales_a1, team=team_a, region=am)
    w.c_a2 = CustomerFactory(code="A2", salesperson=w.sales_a2, region=am)
    w.c_b = CustomerFactory(code="B", salesperson=w.sales_b, team=team_b, region=eu)
    w.c_m = CustomerFactory(code="M", merchandiser=w.merch_a)
    w.c_eu = CustomerFactory(code="EU", region=eu)
    return w
