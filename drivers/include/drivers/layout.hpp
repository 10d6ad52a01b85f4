// layout: what goes on a ticket and on a document checklist, and where.
//
// Everything is measured in printer dots and scaled from the 80 mm design
// (576 dots) to the paper's width, so a 58 mm kiosk printer (384 dots) gets the
// same ticket, smaller. Text is Vietnamese first; the labels are data so a
// bank or a hospital hall can reword them. A layout never prints half a field:
// text that can't be drawn is a LayoutError before any byte reaches a printer.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "drivers/bitmap.hpp"
#include "drivers/images.hpp"
#include "drivers/text_render.hpp"

namespace drivers {

struct PaperConfig {
    int width_dots = 576;      // 576 for 80 mm, 384 for 58 mm (203 dpi heads)
    int margin_dots = 12;      // left and right
    int max_page_dots = 2400;  // a checklist longer than this (300 mm) is cut into pages
};

struct Labels {
    std::string number = "SỐ THỨ TỰ CỦA BẠN";
    std::string priority = "Ưu tiên";
    std::string people_ahead = "Số người chờ trước bạn";
    std::string estimated_wait = "Thời gian chờ dự kiến";
    std::string minutes = "phút";
    std::string issued_at = "Giờ lấy số";
    std::string follow = "Quét mã để theo dõi lượt của bạn";
    std::string checklist_title = "HỒ SƠ CẦN CHUẨN BỊ";
    std::string procedure_code = "Mã thủ tục";
    std::string original = "bản chính";
    std::string copy = "bản sao";
    std::string processing_time = "Thời hạn giải quyết";
    std::string fee = "Phí, lệ phí";
    std::string printed_at = "In lúc";
    std::string page = "Trang";
};

struct TicketContent {
    std::string center_name;
    std::string number;          // "A105"
    std::string service;         // "Đăng ký khai sinh"
    std::string priority;        // empty, or the category: "Người cao tuổi"
    std::string issued_at;       // already formatted local time: "08:15 24/11/2026"
    int people_ahead = -1;       // -1: not shown
    int estimated_wait_minutes = -1;
    std::string follow_url;      // QR; empty: no QR
    std::string footer;
};

struct ChecklistDocument {
    std::string name;
    int originals = 0;
    int copies = 0;
    std::string note;  // "nếu có", "bản sao có chứng thực"...
};

struct ChecklistContent {
    std::string center_name;
    std::string procedure_code;
    std::string procedure_name;
    std::vector<ChecklistDocument> documents;
    std::string processing_time;  // "05 ngày làm việc"
    std::string fee;              // "Miễn phí", "50.000 đồng"
    std::string printed_at;
    std::string footer;
};

struct LayoutConfig {
    PaperConfig paper;
    Labels labels;
    FontFiles fonts;
    std::optional<std::filesystem::path> logo;
    int logo_max_height = 120;  // in 80 mm dots; scaled with the paper
    LogoMode logo_mode = LogoMode::dither;
};

class Layout {
public:
    // Opens the fonts and loads the logo once; throws LayoutError.
    explicit Layout(LayoutConfig config);

    const LayoutConfig& config() const { return config_; }

    // The whole ticket, one cut. Throws LayoutError on bad content.
    Bitmap ticket(const TicketContent& content) const;
    // The checklist as pages (one cut each), each no taller than max_page_dots.
    std::vector<Bitmap> checklist(const ChecklistContent& content) const;

private:
    int dots(int design_80mm) const;  // scales a size from the 80 mm design
    int px(int design_80mm) const;    // the same for type sizes
    int text_width() const { return config_.paper.width_dots - 2 * config_.paper.margin_dots; }

    LayoutConfig config_;
    TextRenderer text_;
    Bitmap logo_;
};

}  // namespace drivers
