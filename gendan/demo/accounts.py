"""Demo people: one user per role (and a few more for realistic scope), regions and teams."""

from __future__ import annotations

from gendan.accounts.models import Region, Team, User
from gendan.accounts.roles import Role

DEMO_PASSWORD = "gendan-demo-2026"

REGIONS = [
    ("americas", "美洲区", "Americas"),
    ("europe", "欧洲区", "Europe"),
    ("asia", "亚太区", "Asia-Pacific"),
]

# username, full name, roles, team, managed region, superuser
USERS = [
    ("admin", "系统管理员 Admin", [Role.ADMIN], None, None, True),
    ("gm", "王总 Wang (GM)", [Role.MANAGER], None, None, False),
    ("manager_eu", "赵经理 Zhao (Europe)", [Role.MANAGER], None, "europe", False),
    ("sales", "李业务 Li", [Role.SALES], "Team A", None, False),
    ("sales2", "周业务 Zhou", [Role.SALES], "Team B", None, False),
    ("merch", "陈跟单 Chen", [Role.MERCHANDISER], "Team A", None, False),
    ("merch2", "刘跟单 Liu", [Role.MERCHANDISER], "Team B", None, False),
    ("finance", "孙财务 Sun", [Role.FINANCE], None, None, False),
    ("planner", "吴生管 Wu", [Role.PRODUCTION_PLANNER], None, None, False),
    ("buyer", "郑采购 Zheng", [Role.PURCHASING], None, None, False),
    ("qc", "冯品质 Feng", [Role.QC], None, None, False),
    ("warehouse", "何仓管 He", [Role.WAREHOUSE], None, None, False),
]


def seed(ctx) -> None:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    regions = {code: Region.objects.create(code=code, name_zh=zh, name_en=en) for code, zh, en in REGIONS}
    teams = {
        "Team A": Team.objects.create(name="Team A", region=regions["americas"]),
        "Team B": Team.objects.create(name="Team B", region=regions["europe"]),
    }
    groups = {g.name: g for g in Group.objects.all()}
    password_hash = make_password(DEMO_PASSWORD)  # hashing is slow on purpose; all demo users share one
    for username, full_name, roles, team, region, superuser in USERS:
        user = User(
            username=username, full_name=full_name, email=f"{username}@demo.gendan.local",
            team=teams.get(team), region=regions.get(region) if region else None,
            is_superuser=superuser, is_staff=superuser,
        )
        user.password = password_hash
        user.save()
        user.groups.set([groups[r.value] for r in roles])
        ctx.users[username] = user
    ctx.data["regions"] = regions
    ctx.data["teams"] = teams
    ctx.say(f"  {len(USERS)} users, {len(regions)} regions, {len(teams)} teams")


def print_logins(out) -> None:
    out.write("")
    out.write("Demo logins (password for all: %s)" % DEMO_PASSWORD)
    for username, full_name, roles, _team, _region, _su in USERS:
        out.write(f"  {username:<11} {', '.join(str(r.label) for r in roles):<22} {full_name}")
