"""The public form's abuse controls, without a third-party captcha: the attempts one client address
makes per hour (a sliding window), a field hidden from people that scripts fill, the caps on
photos (5 of 5 MB) and on the body, and images only (a file is opened, not trusted by its name).
Nothing is filed when the form is refused."""

from __future__ import annotations

from sqlalchemy import func, select

from ioc57.feedback.ratelimit import Window
from ioc57.feedback.tables import photos, reports

from ..support.citizen import citizen, code_of, csrf, file, photo


def _count(app, table) -> int:
    with app.state.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_the_window_slides():
    now = [0.0]
    window = Window(2, 60.0, clock=lambda: now[0])
    assert window.take("a") == 0
    now[0] = 10.0
    assert window.take("a") == 0
    now[0] = 20.0
    assert window.take("a") == 40.0 and window.take("b") == 0  # refused: not counted
    now[0] = 60.0
    assert window.take("a") == 0  # the first hit left the window
    now[0] = 61.0
    assert window.take("a") == 9.0


def test_one_address_files_at_most_its_hourly_allowance(feedback_app):
    limit = feedback_app.state.settings.feedback_intake_per_hour
    client = citizen(feedback_app)
    token = csrf(client)
    for _ in range(limit):  # refused forms count too: a script cannot probe for free
        assert file(client, token=token, text="").status_code == 422
    capped = file(client, token=token)
    assert capped.status_code == 429 and int(capped.headers["retry-after"]) > 3500
    assert "quá nhiều phản ánh" in capped.text and "1022" in capped.text
    code_of(file(citizen(feedback_app)))  # another address is not held back


def test_a_filled_hidden_field_files_nothing(feedback_app):
    before = _count(feedback_app, reports)
    sent = file(citizen(feedback_app), trang_web="http://spam.example")
    assert sent.status_code == 400 and "Hãy để trống ô này" in sent.text
    assert _count(feedback_app, reports) == before


def test_photos_that_are_not_images_or_too_big_are_refused_by_name(feedback_app):
    client = citizen(feedback_app)
    before = (_count(feedback_app, reports), _count(feedback_app, photos))
    fake = file(client, photos=[("anh.jpg", b"%PDF-1.7 not a photo", "image/jpeg")])
    assert fake.status_code == 422 and "anh.jpg không phải ảnh" in fake.text
    gif = file(client, photos=[("dong.gif", b"GIF89a" + b"\0" * 64, "image/gif")])
    assert gif.status_code == 422 and "dong.gif" in gif.text
    big = photo("PNG", (10, 10)) + b"\0" * (5 * 1024 * 1024)
    large = file(client, photos=[("lon.png", big, "image/png")])
    assert large.status_code == 413 and "lon.png lớn hơn 5 MB" in large.text
    six = [(f"{i}.png", photo("PNG", (8, 8)), "image/png") for i in range(6)]
    many = file(client, photos=six)
    assert many.status_code == 422 and "tối đa 5 ảnh" in many.text
    assert (_count(feedback_app, reports), _count(feedback_app, photos)) == before


def test_a_body_past_its_cap_is_refused_before_it_is_read(feedback_app):
    client = citizen(feedback_app)
    token = csrf(client)
    huge = client.post(
        "/phan-anh",
        content=b"x" * (40 * 1024 * 1024),
        headers={"content-type": "multipart/form-data; boundary=abc"},
    )
    assert huge.status_code == 413 and "Biểu mẫu quá lớn" in huge.text
    long_field = file(client, token=token, text="x" * 40_000)
    assert long_field.status_code in (400, 422) and "<form" in long_field.text
