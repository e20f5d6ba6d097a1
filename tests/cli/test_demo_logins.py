"""``ioc57 demo`` says who may log in: each person's user name, role and unit, and the passwords."""

from __future__ import annotations

import re
import subprocess

from ..support.servers import ioc57_command, ioc57_env


def test_the_demo_lists_its_users_with_their_roles_units_and_passwords(tmp_path):
    env = ioc57_env()
    env["IOC57_ADMIN_PASSWORD"] = "demo-admin-57x"
    db = tmp_path / "demo" / "ioc57.db"
    done = subprocess.run(
        ioc57_command("demo", "--no-serve", "--db", str(db)),
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    said = done.stdout.split("log in as (user, role, unit):", 1)[1]
    logins = {
        m.group(1): (m.group(2), m.group(3))
        for m in re.finditer(r"^ {4}(\S+) +(\w+) +(.+)$", said, re.MULTILINE)
    }
    assert logins["admin"] == ("admin", "all units")
    assert logins["lanhdao"] == ("leader", "all units")
    assert logins["vanhanh"] == ("operator", "all units")
    assert logins["canbo.mytho"] == ("officer", "Phường Mỹ Tho (28261)")
    assert logins["canbo.skhcn"][0] == "officer" and "(SKHCN-82)" in logins["canbo.skhcn"][1]
    assert logins["xem"] == ("viewer", "all units")
    assert not any(name.startswith("src.") for name in logins)  # sources' users log in with tokens
    assert "passwords: admin demo-admin-57x, the demo users demo-ioc57" in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]  # the database where --db said
