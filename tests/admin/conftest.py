"""Fixtures for the admin page: an app without background threads, an admin and a staff login,
PNG files made on the fly."""

from __future__ import annotations

import io
import re

import pytest

from antrian.seed import add_staff


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.fixture
def login(app, client, now):
    """Log an account in; returns the CSRF token to put in forms."""

    def log_in(username: str = "kepala", roles: str = "admin") -> str:
        with app.extensions["antrian.db"].write() as s:
            add_staff(s, username, username.title(), f"sandi-{username}-1", roles, now)
        csrf = csrf_of(client.get("/staff/login").get_data(as_text=True))
        form = {"username": username, "password": f"sandi-{username}-1", "csrf_token": csrf}
        assert client.post("/staff/login", data=form).status_code == 303
        return csrf

    return log_in


@pytest.fixture
def admin_csrf(login) -> str:
    return login()


@pytest.fixture
def png():
    """PNG bytes of the given size (a black square on white, what a thermal logo looks like)."""
    from PIL import Image

    def make(width: int = 200, height: int = 80) -> bytes:
        img = Image.new("1", (width, height), 1)
        for x in range(width // 4, width // 2):
            for y in range(height // 4, height // 2):
                img.putpixel((x, y), 0)
        out = io.BytesIO()
        img.save(out, "PNG")
        return out.getvalue()

    return make
