// generated_catalog: a large catalog for the benches — the real procedures of a
// sample file plus generated ones from real wording (verbs, objects, qualifiers,
// fields, documents of Vietnamese administrative procedures), fixed seed, so
// runs compare.
#pragma once
#include <cstdio>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "catalog/import.hpp"

namespace bench {

inline const char* verbs[] = {"Cấp", "Cấp lại", "Cấp đổi", "Gia hạn", "Điều chỉnh", "Thu hồi", "Đăng ký", "Đăng ký thay đổi",
                       "Xác nhận", "Công nhận", "Phê duyệt", "Thẩm định", "Chấp thuận", "Giải quyết", "Thông báo",
                       "Cấp bản sao", "Hủy bỏ", "Sửa đổi, bổ sung"};
inline const char* objects[] = {
    "giấy phép kinh doanh rượu", "giấy chứng nhận đủ điều kiện an toàn thực phẩm", "giấy phép hoạt động khám bệnh, chữa bệnh",
    "chứng chỉ hành nghề dược", "giấy phép lao động cho người nước ngoài", "giấy phép khai thác tài nguyên nước",
    "quyết định thành lập trường mầm non", "giấy phép biểu diễn nghệ thuật", "giấy chứng nhận đăng ký tàu cá",
    "giấy phép kinh doanh vận tải bằng xe ô tô", "giấy chứng nhận đăng ký hợp tác xã", "giấy phép xả nước thải vào nguồn nước",
    "giấy phép môi trường", "chứng chỉ hành nghề kiến trúc", "giấy chứng nhận quyền tác giả", "giấy phép thành lập thư viện",
    "giấy phép tổ chức lễ hội", "giấy phép quảng cáo", "giấy chứng nhận cơ sở đủ điều kiện kinh doanh thuốc thú y",
    "giấy phép kinh doanh karaoke", "giấy phép hoạt động điện lực", "giấy chứng nhận đăng ký đầu tư",
    "giấy phép kinh doanh xăng dầu", "giấy chứng nhận nhãn hiệu", "giấy phép hoạt động giáo dục nghề nghiệp",
    "chứng chỉ năng lực hoạt động xây dựng", "giấy phép sử dụng vật liệu nổ công nghiệp", "giấy phép bán lẻ sản phẩm thuốc lá",
    "giấy chứng nhận đạt chuẩn quốc gia trường tiểu học", "quyết định công nhận làng nghề", "giấy phép nhập khẩu thuốc",
    "giấy chứng nhận kiểm định phương tiện thủy nội địa", "giấy phép cải tạo nhà ở", "giấy phép di dời công trình",
    "giấy phép đào đường", "giấy chứng nhận chất lượng giống cây trồng", "giấy phép khai thác khoáng sản",
    "giấy phép hoạt động ngân hàng mô", "giấy chứng nhận doanh nghiệp khoa học công nghệ", "giấy phép xuất bản bản tin",
    "giấy phép hoạt động dịch vụ việc làm", "giấy phép thành lập cơ sở trợ giúp xã hội", "giấy chứng nhận người có công",
    "trợ cấp mai táng phí", "hỗ trợ học phí cho học sinh", "chế độ thai sản", "hưu trí một lần", "trợ cấp tuất hằng tháng",
    "thẻ bảo hiểm y tế cho người cao tuổi", "giấy chứng nhận đăng ký kinh doanh dịch vụ lữ hành", "thẻ hướng dẫn viên du lịch",
    "giấy phép hoạt động cơ sở thể thao", "giấy chứng nhận đủ điều kiện kinh doanh dịch vụ bảo vệ",
    "giấy phép sản xuất rượu thủ công", "giấy chứng nhận cơ sở an toàn dịch bệnh động vật", "giấy phép vận chuyển hàng nguy hiểm",
    "giấy chứng nhận đăng ký biện pháp bảo đảm", "giấy phép hành nghề luật sư", "thẻ công chứng viên", "giấy phép hoạt động in"};
inline const char* qualifiers[] = {"", " đối với doanh nghiệp", " cho cá nhân", " trong trường hợp bị mất, hỏng", " do thay đổi thông tin",
                            " có yếu tố nước ngoài", " theo hình thức trực tuyến", " đối với hộ gia đình", " tại cơ quan cấp tỉnh",
                            " cho tổ chức", " khi hết hạn", " đối với cơ sở ngoài công lập"};
inline const char* fields[] = {"Công thương", "Y tế", "Lao động - Thương binh và Xã hội", "Tài nguyên và Môi trường", "Giáo dục và Đào tạo",
                        "Văn hóa", "Nông nghiệp", "Giao thông vận tải", "Xây dựng", "Kế hoạch và Đầu tư", "Tư pháp", "Khoa học và Công nghệ"};
inline const char* documents[] = {"Đơn đề nghị (theo mẫu)", "Bản sao giấy chứng nhận đăng ký doanh nghiệp", "Bản sao giấy tờ tùy thân",
                           "Giấy ủy quyền (nếu nộp thay)", "Bản thuyết minh điều kiện cơ sở vật chất", "Danh sách nhân sự kèm bằng cấp",
                           "Bản chính giấy phép đã được cấp", "Sơ đồ vị trí", "Báo cáo đánh giá tác động môi trường", "Hợp đồng thuê địa điểm"};
inline const char* levels[] = {"tỉnh", "xã"};

inline std::vector<catalog::Procedure> generated_catalog(const std::string& sample, size_t total) {
    auto out = catalog::parse_catalog(sample);
    std::mt19937 rng(20261124);
    std::set<std::string> names;
    for (const auto& p : out) names.insert(p.name);
    auto pick = [&](const auto& list) { return list[rng() % std::size(list)]; };
    while (out.size() < total) {
        catalog::Procedure p;
        p.name = std::string(pick(verbs)) + " " + pick(objects) + pick(qualifiers);
        if (!names.insert(p.name).second) continue;
        char code[24];
        std::snprintf(code, sizeof code, "9.%06zu", out.size());  // apart from the real codes (1.x, 2.x)
        p.code = code;
        p.field = pick(fields);
        p.level = pick(levels);
        p.agency = std::string("Sở ") + p.field;
        p.processing_days = static_cast<int>(rng() % 30) + 1;
        for (int d = 0, n = 3 + static_cast<int>(rng() % 4); d < n; ++d) p.documents.push_back({pick(documents), 1, 0, ""});
        out.push_back(std::move(p));
    }
    return out;
}

}  // namespace bench
