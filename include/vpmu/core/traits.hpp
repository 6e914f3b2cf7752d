// SPDX-License-Identifier: MIT
// The few type traits and concepts vpmu needs, built on the compilers' own intrinsics (GCC 12+ and
// Clang 14+ have every one used here) rather than <type_traits>, <concepts>, <limits> and
// <utility>: those four add about 7,000 preprocessed lines to every hypervisor translation unit
// that includes vpmu, for a handful of one-line definitions.
#pragma once

namespace vpmu::meta {

template <class A, class B>
inline constexpr bool is_same_v = __is_same(A, B);
template <class A, class B>
concept same_as = is_same_v<A, B> && is_same_v<B, A>;

template <class T>
inline constexpr bool is_enum_v = __is_enum(T);
template <class T>
inline constexpr bool is_trivially_copyable_v = __is_trivially_copyable(T);
template <class T, class... Args>
inline constexpr bool is_constructible_v = __is_constructible(T, Args...);

template <class T>
struct remove_ref {
  using type = T;
};
template <class T>
struct remove_ref<T&> {
  using type = T;
};
template <class T>
struct remove_ref<T&&> {
  using type = T;
};
template <class T>
struct remove_cv {
  using type = T;
};
template <class T>
struct remove_cv<const T> {
  using type = T;
};
template <class T>
struct remove_cv<volatile T> {
  using type = T;
};
template <class T>
struct remove_cv<const volatile T> {
  using type = T;
};
template <class T>
using remove_cvref_t = typename remove_cv<typename remove_ref<T>::type>::type;

// Only for unevaluated operands (decltype, requires), as std::declval.
template <class T>
T&& declval() noexcept;
template <class T>
constexpr T&& forward(typename remove_ref<T>::type& t) noexcept {
  return static_cast<T&&>(t);
}

namespace detail {
template <class T, class... U>
inline constexpr bool one_of = (is_same_v<T, U> || ...);
template <class To>
void implicitly(To) noexcept;
}  // namespace detail

// std::integral, std::is_signed_v, std::is_unsigned_v (integer types only).
template <class T>
concept integral = detail::one_of < typename remove_cv<T>::type,
bool, char, signed char, unsigned char, wchar_t, char8_t, char16_t, char32_t, short, unsigned short,
    int, unsigned, long, unsigned long, long long, unsigned long long > ;
template <class T>
inline constexpr bool is_signed_v = integral<T>&& T(-1) < T(0);
template <class T>
inline constexpr bool is_unsigned_v = integral<T> && !(T(-1) < T(0));

// std::convertible_to: From converts implicitly to To.
template <class From, class To>
concept convertible_to = requires {
  detail::implicitly<To>(declval<From>());
};

// 0, 1, ..., N - 1 as a pack (std::make_index_sequence without <utility>).
template <class T, T... I>
struct integer_list {};
#if defined(__clang__)
template <decltype(sizeof(0)) N>
using make_index_list = __make_integer_seq<integer_list, decltype(sizeof(0)), N>;
#else
template <decltype(sizeof(0)) N>
using make_index_list = integer_list<decltype(sizeof(0)), __integer_pack(N)...>;
#endif

}  // namespace vpmu::meta
