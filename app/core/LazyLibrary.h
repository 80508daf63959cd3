#pragma once

#include <QLibrary>

#include <type_traits>

namespace oco {

// For libraries the service needs rarely (libcrypto for password rotation, SQLite for the login database):
// loaded on first use with QLibrary instead of linked, so they are not part of every idle service's
// memory. Resolves `name` into `fn`, a pointer declared with the library's own prototype
// (decltype(&::function)); false when the symbol is missing.
template<typename Fn> bool resolveInto(QLibrary &lib, Fn &fn, const char *name)
{
    static_assert(std::is_pointer_v<Fn>, "resolveInto needs a function pointer");
    fn = reinterpret_cast<Fn>(lib.resolve(name));
    return fn != nullptr;
}

} // namespace oco
