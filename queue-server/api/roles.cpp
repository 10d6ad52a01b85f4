// roles: the names of the roles (see roles.hpp).
#include "api/roles.hpp"

#include <array>

namespace api {
namespace {

constexpr std::array<std::string_view, kRoleCount> kNames = {"kiosk", "display", "rating", "staff", "manager", "admin", "feed"};

}  // namespace

std::string_view role_name(Role r) { return kNames[static_cast<size_t>(r)]; }

std::optional<Role> role_from_name(std::string_view name) {
    for (size_t i = 0; i < kNames.size(); ++i)
        if (kNames[i] == name) return static_cast<Role>(i);
    return std::nullopt;
}

bool is_user_role(Role r) { return r == Role::staff || r == Role::manager || r == Role::admin; }
bool is_device_role(Role r) { return r == Role::kiosk || r == Role::display || r == Role::rating; }

}  // namespace api
