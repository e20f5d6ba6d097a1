"""The procedures of the simulated province (dữ liệu mô phỏng): what a province and its communes
run since the two-level local government of 2025-07-01.

The names are those of real administrative procedures; the codes are in the national database's
format (``1.001193``) and stand for them in the simulation, they are not looked up. Per procedure:
the level that decides it, how far it is offered online (``full``: end to end, ``partial``, or
``none``), whether it bears a fee, whether the fee can be paid online, whether it reads the
population database, the working days promised for the result, and how many dossiers it gets
beside the others (``volume``: a birth or a certified copy is far more common than a permit).
"""

from __future__ import annotations

from typing import NamedTuple


class Entry(NamedTuple):
    code: str
    level: str  # "province" or "commune"
    online: str  # "full", "partial" or "none"
    fee: bool
    payment_online: bool
    population_db: bool
    days: int  # working days to the result
    volume: float  # dossiers, relative to the other procedures
    name: str


# code | level | online | fee: "phí", "phí+tt" when it can be paid online, "-" | "dân cư" when the
# procedure reads the population database | working days | volume | name
TABLE = """
1.001193 | commune  | full    | -      | dân cư | 1  | 30  | Đăng ký khai sinh
1.000656 | commune  | full    | -      | dân cư | 1  | 8   | Đăng ký khai tử
1.000894 | commune  | partial | -      | dân cư | 3  | 8   | Đăng ký kết hôn
1.001022 | commune  | partial | phí+tt | dân cư | 3  | 1   | Đăng ký nhận cha, mẹ, con
1.004746 | commune  | full    | phí+tt | dân cư | 5  | 2   | Đăng ký lại khai sinh
1.004873 | commune  | full    | phí+tt | dân cư | 1  | 12  | Cấp bản sao trích lục hộ tịch
1.004859 | commune  | partial | phí+tt | dân cư | 3  | 3   | Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch
1.001009 | commune  | full    | phí+tt | dân cư | 3  | 10  | Cấp Giấy xác nhận tình trạng hôn nhân
1.000775 | commune  | partial | phí    | dân cư | 3  | 0.5 | Đăng ký giám hộ
2.000815 | commune  | partial | phí+tt | -      | 1  | 40  | Chứng thực bản sao từ bản chính giấy tờ, văn bản
2.000884 | commune  | partial | phí    | -      | 1  | 8   | Chứng thực chữ ký trong các giấy tờ, văn bản
2.001035 | commune  | none    | phí    | -      | 2  | 3   | Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản
1.004227 | commune  | full    | phí+tt | dân cư | 7  | 12  | Đăng ký thường trú
1.004194 | commune  | full    | phí+tt | dân cư | 3  | 10  | Đăng ký tạm trú
1.011566 | commune  | full    | -      | dân cư | 5  | 8   | Liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi
1.011567 | commune  | full    | -      | dân cư | 5  | 4   | Liên thông đăng ký khai tử, xóa đăng ký thường trú, giải quyết mai táng phí, tử tuất
2.000720 | commune  | full    | phí+tt | dân cư | 3  | 6   | Đăng ký thành lập hộ kinh doanh
2.000575 | commune  | full    | phí+tt | dân cư | 3  | 3   | Đăng ký thay đổi nội dung đăng ký hộ kinh doanh
2.000664 | commune  | full    | -      | dân cư | 3  | 1   | Thông báo tạm ngừng hoạt động, tiếp tục kinh doanh của hộ kinh doanh
1.009994 | commune  | partial | phí    | -      | 15 | 4   | Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ
1.010006 | commune  | partial | phí    | -      | 15 | 1   | Cấp giấy phép sửa chữa, cải tạo đối với nhà ở riêng lẻ
1.003596 | commune  | partial | phí    | dân cư | 20 | 3   | Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất lần đầu cho hộ gia đình, cá nhân
1.004202 | commune  | none    | -      | -      | 30 | 0.5 | Hòa giải tranh chấp đất đai
1.001776 | commune  | partial | -      | dân cư | 12 | 2   | Trợ cấp xã hội hằng tháng đối với đối tượng bảo trợ xã hội
1.002227 | commune  | partial | -      | dân cư | 5  | 1   | Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội
1.001699 | commune  | none    | -      | dân cư | 10 | 1   | Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm
1.003005 | commune  | full    | -      | -      | 5  | 0.5 | Thông báo tổ chức lễ hội cấp xã
1.005049 | commune  | partial | -      | dân cư | 3  | 1   | Chuyển trường đối với học sinh trung học cơ sở
2.001240 | commune  | partial | phí    | -      | 10 | 0.5 | Cấp Giấy phép bán lẻ sản phẩm rượu
2.002166 | commune  | none    | -      | -      | 30 | 0.3 | Giải quyết khiếu nại lần đầu tại cấp xã
2.001023 | province | full    | phí+tt | dân cư | 10 | 8   | Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam
1.012030 | province | partial | phí+tt | dân cư | 10 | 10  | Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất
1.012045 | province | full    | phí+tt | -      | 1  | 4   | Đăng ký biện pháp bảo đảm bằng quyền sử dụng đất, tài sản gắn liền với đất
1.012050 | province | partial | phí    | -      | 20 | 0.3 | Cấp Giấy chứng nhận quyền sử dụng đất cho tổ chức
1.001612 | province | full    | phí+tt | dân cư | 5  | 6   | Đổi giấy phép lái xe do ngành Giao thông vận tải cấp
1.002809 | province | full    | phí+tt | dân cư | 5  | 1   | Cấp lại giấy phép lái xe
1.002861 | province | full    | phí+tt | -      | 5  | 0.5 | Cấp Giấy phép kinh doanh vận tải bằng xe ô tô
1.002856 | province | full    | -      | -      | 2  | 2   | Cấp phù hiệu xe ô tô kinh doanh vận tải
2.000291 | province | full    | phí+tt | -      | 3  | 3   | Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên
2.002039 | province | full    | phí+tt | -      | 3  | 3   | Đăng ký thay đổi nội dung đăng ký doanh nghiệp
2.001610 | province | partial | -      | -      | 15 | 0.3 | Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án không thuộc diện chấp thuận chủ trương đầu tư
1.009972 | province | partial | phí    | -      | 20 | 0.5 | Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II
1.009975 | province | partial | phí    | -      | 25 | 0.3 | Thẩm định Báo cáo nghiên cứu khả thi đầu tư xây dựng
1.011473 | province | partial | phí    | -      | 30 | 0.2 | Cấp giấy phép môi trường
2.000591 | province | partial | phí+tt | -      | 20 | 0.5 | Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm
1.012270 | province | partial | phí+tt | dân cư | 20 | 0.3 | Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh
1.002352 | province | none    | phí    | -      | 45 | 0.1 | Cấp giấy phép hoạt động đối với cơ sở khám bệnh, chữa bệnh
1.004618 | province | partial | phí    | dân cư | 20 | 0.3 | Cấp Chứng chỉ hành nghề dược
2.000205 | province | full    | phí+tt | -      | 5  | 0.5 | Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam
1.001978 | province | partial | -      | dân cư | 20 | 3   | Giải quyết hưởng trợ cấp thất nghiệp
2.001914 | province | full    | -      | dân cư | 5  | 1   | Cấp bản sao văn bằng, chứng chỉ từ sổ gốc
1.004623 | province | full    | phí+tt | dân cư | 10 | 0.2 | Cấp thẻ hướng dẫn viên du lịch nội địa
2.000837 | province | none    | phí    | -      | 10 | 0.1 | Cấp Giấy đăng ký hoạt động của Văn phòng công chứng
"""


def _entry(line: str) -> Entry:
    code, level, online, fee, population, days, volume, name = (c.strip() for c in line.split("|"))
    return Entry(
        code, level, online, fee != "-", fee == "phí+tt", population == "dân cư", int(days),
        float(volume), name,
    )  # fmt: skip


PROCEDURES = [_entry(line) for line in TABLE.strip().splitlines()]
