// sqlite: a thin RAII layer over the SQLite C API — a connection, prepared
// statements that reset themselves, and a transaction guard. Errors throw
// sqlite::Error with SQLite's own message, so no return code is ever ignored.
#pragma once
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sqlite {

struct Error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Statement;

class Database {
public:
    explicit Database(const std::string& path, int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(const std::string& sql);
    int64_t user_version();
    void set_user_version(int64_t v);
    sqlite3* handle() const { return db_; }

private:
    sqlite3* db_ = nullptr;
};

class Statement {
public:
    Statement(Database& db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int i, int64_t v);
    Statement& bind(int i, int v) { return bind(i, int64_t{v}); }
    Statement& bind(int i, std::string_view v);
    Statement& bind_null(int i);
    // Steps once: true while a row is there. Resets itself when done.
    bool step();
    // Runs to completion (for writes) and resets.
    void run();
    int64_t int_at(int col) const;
    double double_at(int col) const;
    std::string text_at(int col) const;
    bool null_at(int col) const;
    int column_count() const { return sqlite3_column_count(stmt_); }
    std::string column_name(int col) const { return sqlite3_column_name(stmt_, col); }
    void reset();

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back if not committed.
class Transaction {
public:
    // `begin` is "BEGIN IMMEDIATE" to write, "BEGIN" to read one consistent state.
    explicit Transaction(Database& db, const char* begin = "BEGIN IMMEDIATE");
    ~Transaction();
    void commit();

private:
    Database& db_;
    bool done_ = false;
};

}  // namespace sqlite
