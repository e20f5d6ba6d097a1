"""A form with one file: its fields in memory, the file in a named temporary file, and a body
over the cap refused as it arrives (a declared length over it, before a byte is read)."""

import asyncio

import pytest
from fastapi import Request

from ioc57.core.problems import Problem
from ioc57.core.uploads import TooLarge, Upload

BOUNDARY = "ioc57-boundary"


def form(file: bytes) -> list[bytes]:
    """The body of a form with a unit and a file, in chunks of 1 KB."""
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="unit"\r\n\r\n82\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="../x/mau.CSV"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    chunks = [file[i : i + 1024] for i in range(0, len(file), 1024)]
    return [head, *chunks, f"\r\n--{BOUNDARY}--\r\n".encode()]


class Sent:
    """A request whose body arrives in chunks, counting those the server took."""

    def __init__(self, chunks: list[bytes], length: int | None = None) -> None:
        self.chunks, self.taken = chunks, 0
        headers = [(b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode())]
        if length is not None:
            headers.append((b"content-length", str(length).encode()))
        scope = {"type": "http", "method": "POST", "path": "/", "headers": headers}
        self.request = Request(scope, self.receive)

    async def receive(self):
        self.taken += 1
        body, more = self.chunks[self.taken - 1], self.taken < len(self.chunks)
        return {"type": "http.request", "body": body, "more_body": more}

    def read(self, limit: int) -> Upload:
        upload = Upload()
        asyncio.run(upload.read(self.request, limit))
        return upload


def test_the_fields_and_the_file_by_its_path():
    upload = Sent(form(b"indicator,value\nx,1\n")).read(1000)
    assert upload.fields == {"unit": "82"} and upload.filename == "mau.CSV"
    assert upload.path.suffix == ".csv" and upload.path.read_bytes() == b"indicator,value\nx,1\n"
    assert upload.size == 20
    upload.discard()
    assert not upload.path.exists()


def test_a_file_over_the_cap_is_refused_as_it_arrives():
    at_the_cap = Sent(form(b"x" * 1000)).read(1000)
    assert at_the_cap.size == 1000
    at_the_cap.discard()
    with pytest.raises(TooLarge):
        Sent(form(b"x" * 1001)).read(1000)
    big = Sent(form(b"x" * 1024 * 1024))  # 1 MB, with no length declared
    with pytest.raises(TooLarge):
        big.read(1000)
    # the cap counts the body: the file and what the fields may add (64 KB), not a byte more
    assert big.taken < 70


def test_a_declared_length_over_the_cap_is_refused_before_a_byte_is_read():
    sent = Sent(form(b"x"), length=10_000_000)
    with pytest.raises(TooLarge):
        sent.read(1000)
    assert sent.taken == 0


def several(*files: tuple[str, bytes]) -> list[bytes]:
    """The body of a form with a text and ``files`` all named ``evidence``."""
    parts = [f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="text"\r\n\r\nxong\r\n']
    for name, _ in files:
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="evidence"; '
            f'filename="{name}"\r\nContent-Type: application/pdf\r\n\r\n'
        )
    chunks = []
    for head, (_, content) in zip(parts[1:], files, strict=True):
        chunks += [head.encode(), content, b"\r\n"]
    return [parts[0].encode(), *chunks, f"--{BOUNDARY}--\r\n".encode()]


def test_several_files_under_one_name_each_under_the_cap():
    sent = Sent(several(("a.pdf", b"1" * 10), ("b/c.pdf", b"2" * 1000)))
    upload = Upload("evidence", files=3)
    asyncio.run(upload.read(sent.request, 1000))
    assert upload.fields == {"text": "xong"}
    assert [(k.filename, k.size, k.path.read_bytes()[:1]) for k in upload.kept] == [
        ("a.pdf", 10, b"1"),
        ("c.pdf", 1000, b"2"),
    ]
    upload.discard()
    assert not any(k.path.exists() for k in upload.kept)
    with pytest.raises(TooLarge) as over:
        asyncio.run(Upload("evidence", 3).read(Sent(several(("x.pdf", b"1" * 1001))).request, 1000))
    assert over.value.filename == "x.pdf"


def test_more_files_than_the_form_takes_is_refused_naming_them():
    sent = Sent(several(("a.pdf", b"1"), ("b.pdf", b"2"), ("c.pdf", b"3")))
    with pytest.raises(Problem) as refused:
        asyncio.run(Upload("evidence", files=2).read(sent.request, 1000))
    assert refused.value.status == 422 and refused.value.errors[0]["loc"] == ["evidence"]
