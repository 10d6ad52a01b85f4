// json_reader: reads one JSON object strictly. Every key must be one the caller
// knows, every value the type asked for; the error names the path of the bad
// field ("center.services[2].open: expected a string"), so a person can fix it.
// Used for config files, stored events and request bodies alike.
#pragma once
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace common {

struct FieldError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class JsonReader {
public:
    using json = nlohmann::json;

    JsonReader(const json& j, std::string path, std::initializer_list<const char*> keys) : j_(j), path_(std::move(path)) {
        if (!j.is_object()) throw FieldError(prefix() + "expected an object");
        for (const auto& [key, value] : j.items()) {
            bool known = false;
            for (const char* k : keys) known = known || key == k;
            if (!known) throw FieldError(prefix() + "unknown key '" + key + "'");
        }
    }

    template <class T>
    T get(const char* key) const {
        if (!j_.contains(key)) throw FieldError(path(key) + ": missing");
        return as<T>(j_.at(key), path(key));
    }

    template <class T>
    T get(const char* key, T fallback) const {
        return j_.contains(key) && !j_.at(key).is_null() ? as<T>(j_.at(key), path(key)) : fallback;
    }

    const json& raw(const char* key) const {
        if (!j_.contains(key)) throw FieldError(path(key) + ": missing");
        return j_.at(key);
    }
    bool has(const char* key) const { return j_.contains(key); }
    // An empty path is the top of a document: its keys are named bare.
    std::string path(const char* key) const { return path_.empty() ? key : path_ + "." + key; }

    template <class T>
    static T as(const json& v, const std::string& where) {
        if constexpr (std::is_same_v<T, bool>) {
            if (!v.is_boolean()) throw FieldError(where + ": expected true or false");
        } else if constexpr (std::is_integral_v<T>) {
            if (!v.is_number_integer()) throw FieldError(where + ": expected a whole number");
            if (v.is_number_unsigned() ? v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<T>::max())
                                       : (v.get<int64_t>() < std::numeric_limits<T>::min() ||
                                          v.get<int64_t>() > std::numeric_limits<T>::max()))
                throw FieldError(where + ": number out of range");
        } else if constexpr (std::is_same_v<T, std::string>) {
            if (!v.is_string()) throw FieldError(where + ": expected a string");
        }
        return v.get<T>();
    }

    static std::vector<std::string> strings(const json& j, const std::string& where) {
        if (!j.is_array()) throw FieldError(where + ": expected a list");
        std::vector<std::string> out;
        for (const auto& v : j) out.push_back(as<std::string>(v, where + "[]"));
        return out;
    }

private:
    std::string prefix() const { return path_.empty() ? "" : path_ + ": "; }

    const json& j_;
    std::string path_;
};

}  // namespace common
