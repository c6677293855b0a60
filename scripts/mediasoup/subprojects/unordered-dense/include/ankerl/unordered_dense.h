// Argus: stand-in for ankerl::unordered_dense (not packaged in Debian bookworm), for building the
// mediasoup worker offline. Maps ankerl::unordered_dense::map/set onto std::unordered_map/set and
// ankerl::unordered_dense::hash onto std::hash with a 64-bit mixer (std::hash of integers is the
// identity in libstdc++, which clusters badly for pointer/port keys). The worker uses only the
// std-compatible subset (find/emplace/erase/contains/iteration), not unordered_dense's extras
// (values(), extract(), replace(), segmented containers). Iteration order differs from upstream;
// nothing in the worker depends on it.
#ifndef ARGUS_ANKERL_UNORDERED_DENSE_H
#define ARGUS_ANKERL_UNORDERED_DENSE_H

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace ankerl::unordered_dense
{
	namespace detail
	{
		inline std::uint64_t mix(std::uint64_t x) noexcept
		{
			// splitmix64 finalizer
			x ^= x >> 30;
			x *= 0xbf58476d1ce4e5b9ULL;
			x ^= x >> 27;
			x *= 0x94d049bb133111ebULL;
			x ^= x >> 31;

			return x;
		}
	} // namespace detail

	template<typename T, typename Enable = void>
	struct hash
	{
		std::size_t operator()(const T& value) const noexcept(noexcept(std::hash<T>{}(value)))
		{
			return static_cast<std::size_t>(
			  detail::mix(static_cast<std::uint64_t>(std::hash<T>{}(value))));
		}
	};

	template<
	  class Key,
	  class T,
	  class Hash      = hash<Key>,
	  class KeyEqual  = std::equal_to<Key>,
	  class Allocator = std::allocator<std::pair<const Key, T>>>
	using map = std::unordered_map<Key, T, Hash, KeyEqual, Allocator>;

	template<
	  class Key,
	  class Hash      = hash<Key>,
	  class KeyEqual  = std::equal_to<Key>,
	  class Allocator = std::allocator<Key>>
	using set = std::unordered_set<Key, Hash, KeyEqual, Allocator>;
} // namespace ankerl::unordered_dense

#endif
