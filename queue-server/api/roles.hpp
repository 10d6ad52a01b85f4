// roles: who a caller is, as the route table and the handlers see it. A role is
// an enum, never a string compared in a handler: the only place a role is
// spelled is here, where the store's and the API's text turns into it.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace api {

enum class Role : uint8_t {
    kiosk,    // device token: a touch kiosk in the hall
    display,  // device token: a hall board
    rating,   // device token bound to a counter: the rating tablet there
    staff,    // login, bound to a counter
    manager,  // login
    admin,    // login
    feed,     // the dossier backend: no token, an HMAC signature over the body
};
constexpr int kRoleCount = 7;

std::string_view role_name(Role r);
std::optional<Role> role_from_name(std::string_view name);
bool is_user_role(Role r);    // staff, manager, admin: they log in
bool is_device_role(Role r);  // kiosk, display, rating: they carry a device token

// Who may call a route: a set of roles, or anyone at all (public routes).
class RoleSet {
public:
    constexpr RoleSet() = default;
    constexpr RoleSet(std::initializer_list<Role> roles) {
        for (Role r : roles) bits_ |= bit(r);
    }
    static constexpr RoleSet anyone() {
        RoleSet s;
        s.anyone_ = true;
        return s;
    }
    constexpr bool is_anyone() const { return anyone_; }
    constexpr bool has(Role r) const { return anyone_ || (bits_ & bit(r)) != 0; }
    constexpr RoleSet operator|(RoleSet o) const {
        RoleSet s;
        s.bits_ = bits_ | o.bits_;
        s.anyone_ = anyone_ || o.anyone_;
        return s;
    }

private:
    static constexpr uint32_t bit(Role r) { return 1u << static_cast<unsigned>(r); }
    uint32_t bits_ = 0;
    bool anyone_ = false;
};

}  // namespace api
