// samples: a realistic ticket and checklist (from the national catalog's
// "Đăng ký khai sinh"), shared by the demo tool, the tests and the benchmark so
// that all three print the same thing.
#pragma once
#include "drivers/layout.hpp"

namespace drivers::samples {

inline TicketContent ticket() {
    TicketContent t;
    t.center_name = "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH QUẢNG NGÃI";
    t.number = "A105";
    t.service = "Hộ tịch – Đăng ký khai sinh, kết hôn";
    t.priority = "Người cao tuổi";
    t.issued_at = "08:15 24/11/2026";
    t.people_ahead = 12;
    t.estimated_wait_minutes = 25;
    t.follow_url = "https://dichvucong.example.vn/q/A105-20261124";
    t.footer = "Vui lòng chú ý màn hình và loa gọi số. Số chỉ có giá trị trong ngày.";
    return t;
}

inline ChecklistContent checklist() {
    ChecklistContent c;
    c.center_name = "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH QUẢNG NGÃI";
    c.procedure_code = "1.001193";
    c.procedure_name = "Đăng ký khai sinh";
    c.documents = {
        {"Tờ khai đăng ký khai sinh (theo mẫu)", 1, 0, ""},
        {"Giấy chứng sinh; nếu không có thì văn bản của người làm chứng hoặc giấy cam đoan về việc sinh", 1, 0, ""},
        {"Giấy tờ tùy thân của người đi đăng ký", 0, 0, "xuất trình"},
        {"Giấy chứng nhận kết hôn của cha mẹ", 0, 1, "xuất trình, nếu có"},
        {"Văn bản ủy quyền (nếu nộp thay, trừ ông bà, người thân thích)", 1, 0, ""},
    };
    c.processing_time = "Ngay trong ngày tiếp nhận; nếu nhận hồ sơ sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo";
    c.fee = "Miễn lệ phí nếu đăng ký đúng hạn (trong 60 ngày kể từ ngày sinh)";
    c.printed_at = "08:16 24/11/2026";
    c.footer = "Tra cứu thủ tục và hồ sơ tại ki-ốt hoặc dichvucong.gov.vn";
    return c;
}

}  // namespace drivers::samples
