"""The scorecard pages and their downloads, through the ASGI client."""

import csv
import io

from openpyxl import load_workbook

from ioc57.indicators.demo import load_simulated_comparison

from ..support.indicators import obs


def _series(leader):
    # Tiền Giang (82) and the old Đồng Tháp (87) before the merger, today's Đồng Tháp (82) after it
    leader.report(
        obs("online_payment_rate", "82", "2023", numerator=30, denominator=100),
        obs("online_payment_rate", "87", "2023", numerator=10, denominator=100),
        obs("online_payment_rate", "82", "2025", numerator=120, denominator=200),
        obs("online_dossiers", "82", "2025", value=1000),
    )


def test_the_scorecard_page_shows_a_tile_per_indicator_with_status_target_and_trend(client, leader):
    _series(leader)
    r = client.get("/scorecard", params={"unit": "82", "year": 2025})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert "Tỉnh Đồng Tháp" in html
    tile = html[html.index('href="/indicators/online_payment_rate?') :]
    tile = tile[: tile.index("</li>")]
    assert "60" in tile and "80" in tile  # 120/200 = 60 %, national target 80 % by 2030
    assert "Đúng tiến độ" in tile  # 20 → 60 % in two years, well ahead of 20 → 80 % by 2030
    assert "data-spark" in tile  # 2023 (merged: 40/200 = 20 %) and 2025
    # what has no value yet is listed apart, not drawn as a tile
    assert 'id="no-value"' in html


def test_the_group_filter_keeps_one_group(client, leader):
    _series(leader)
    html = client.get("/scorecard", params={"unit": "82", "year": 2025, "group": "st"}).text
    assert "online_payment_rate" not in html


def test_the_scorecard_downloads_as_xlsx_and_csv_with_the_same_figures(client, leader):
    _series(leader)
    params = {"unit": "82", "year": 2025}
    r = client.get("/scorecard.xlsx", params=params)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Tỉnh Đồng Tháp · 2025"
    header = rows[1]
    row = next(x for x in rows[2:] if x[0] == "online_payment_rate")
    assert row[header.index("Giá trị")] == 60.0 and row[header.index("Mục tiêu")] == 80.0

    r = client.get("/scorecard.csv", params=params)
    assert r.content.startswith(b"\xef\xbb\xbf")  # Excel reads the Vietnamese right
    lines = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    row = next(x for x in lines[2:] if x[0] == "online_payment_rate")
    assert float(row[lines[1].index("Giá trị")]) == 60.0


def test_a_download_in_an_unknown_format_or_for_an_unknown_unit_is_refused(client):
    r = client.get("/scorecard.pdf", params={"unit": "82"})
    assert r.status_code == 404 and "format" in r.text
    r = client.get("/scorecard.csv", params={"unit": "nowhere"})
    assert r.status_code == 422 and "unit" in r.text


def test_the_indicator_page_shows_the_series_sources_and_the_34_provinces(client, leader):
    _series(leader)
    r = client.get("/indicators/online_payment_rate", params={"unit": "82", "year": 2025})
    assert r.status_code == 200
    html = r.text
    assert 'id="series-chart"' in html and 'id="compare-chart"' in html and 'id="map"' in html
    series = html[
        html.index('id="series-table"') : html.index("</table>", html.index('id="series-table"'))
    ]
    assert (
        "2023" in series
        and "20" in series
        and "Tỉnh Tiền Giang (mã 82, trước 01/07/2025)" in series
    )
    assert "test: a figure reported in a test" in html  # the source cited
    table = html[html.index('id="compare-table"') :]
    table = table[: table.index("</table>")]
    assert table.count("<tr") == 1 + 34


def test_the_comparison_downloads_ranked_with_status(client, app):
    load_simulated_comparison(app.state.gate)
    r = client.get("/indicators/online_payment_rate/compare.csv", params={"year": 2025})
    lines = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    header, rows = lines[1], lines[2:]
    assert len(rows) == 34
    ranks = [int(x[header.index("Hạng")]) for x in rows]
    assert ranks == sorted(ranks) and ranks[0] == 1
    assert all(x[header.index("Trạng thái")] for x in rows)


def test_simulated_figures_say_so_on_the_page_and_in_the_file(client, app):
    load_simulated_comparison(app.state.gate)
    html = client.get("/scorecard", params={"unit": "82", "year": 2025}).text
    assert "dữ liệu mô phỏng" in html
    r = client.get("/scorecard.csv", params={"unit": "82", "year": 2025})
    row = next(
        x
        for x in csv.reader(io.StringIO(r.content.decode("utf-8-sig")))
        if x and x[0] == "online_payment_rate"
    )
    assert "dữ liệu mô phỏng" in row


def test_the_catalogue_page_lists_every_indicator(client):
    html = client.get("/indicators").text
    assert "dossiers_online_share_live" in html and "rd_spending_gdp_share" in html
    r = client.get("/indicators.xlsx")
    assert r.status_code == 200
