// Argus: libsrtp3 API over Debian's libsrtp2 (2.5), for building the mediasoup worker offline.
//
// mediasoup 3.27 is written against libsrtp 3 (not packaged in Debian bookworm). The worker uses:
// - the split in/out-buffer forms of srtp_protect/srtp_unprotect (+ RTCP), with size_t lengths;
// - srtp_stream_remove (libsrtp2: srtp_remove_stream);
// - the opaque policy API (srtp_policy_create/destroy/set_ssrc/set_profile/add_key/
//   set_allow_repeat_tx/set_window_size) and srtp_create from such a policy;
// - two error codes libsrtp2 lacks (buffer_small, cryptex_err).
// This header maps those onto libsrtp2: libsrtp2's `srtp_policy_t` struct is renamed on include so
// that `srtp_policy_t` can be libsrtp3's pointer type, and libsrtp2's srtp_create(srtp_t*, const
// struct*) then accepts it unchanged. Protect/unprotect copy into the output buffer and run
// libsrtp2's in-place call there. Only what the worker calls is provided. C++ only.
#ifndef ARGUS_LIBSRTP3_COMPAT_SRTP_H
#define ARGUS_LIBSRTP3_COMPAT_SRTP_H

#define srtp_policy_t argus_srtp2_policy_t
#include <srtp2/srtp.h>
#undef srtp_policy_t

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

// libsrtp3 error codes that libsrtp2 2.5 does not have (values as in libsrtp3).
inline constexpr srtp_err_status_t srtp_err_status_buffer_small = static_cast<srtp_err_status_t>(28);
inline constexpr srtp_err_status_t srtp_err_status_cryptex_err  = static_cast<srtp_err_status_t>(29);

// libsrtp3: opaque policy handle.
typedef argus_srtp2_policy_t* srtp_policy_t;

namespace argus_srtp3
{
	struct PolicyStorage
	{
		argus_srtp2_policy_t policy;
		unsigned char key[SRTP_MAX_KEY_LEN]; // master key + salt, concatenated (libsrtp2 layout)
	};

	inline srtp_err_status_t policy_create(srtp_policy_t* policy)
	{
		if (policy == nullptr)
			return srtp_err_status_bad_param;

		auto* storage = new (std::nothrow) PolicyStorage{};

		if (storage == nullptr)
			return srtp_err_status_alloc_fail;

		std::memset(storage, 0, sizeof(PolicyStorage));
		storage->policy.key  = storage->key;
		storage->policy.next = nullptr;
		*policy              = &storage->policy;

		return srtp_err_status_ok;
	}

	inline void policy_destroy(srtp_policy_t policy)
	{
		// `policy` is the first member of PolicyStorage.
		delete reinterpret_cast<PolicyStorage*>(policy);
	}

	inline srtp_err_status_t policy_set_ssrc(srtp_policy_t policy, srtp_ssrc_t ssrc)
	{
		if (policy == nullptr)
			return srtp_err_status_bad_param;

		policy->ssrc = ssrc;

		return srtp_err_status_ok;
	}

	inline srtp_err_status_t policy_set_profile(srtp_policy_t policy, srtp_profile_t profile)
	{
		if (policy == nullptr)
			return srtp_err_status_bad_param;

		srtp_err_status_t err = srtp_crypto_policy_set_from_profile_for_rtp(&policy->rtp, profile);

		if (err != srtp_err_status_ok)
			return err;

		return srtp_crypto_policy_set_from_profile_for_rtcp(&policy->rtcp, profile);
	}

	inline srtp_err_status_t policy_add_key(
	  srtp_policy_t policy,
	  const uint8_t* key,
	  size_t keyLen,
	  const uint8_t* salt,
	  size_t saltLen,
	  const uint8_t* mki,
	  size_t mkiLen)
	{
		if (policy == nullptr || key == nullptr || salt == nullptr)
			return srtp_err_status_bad_param;

		// Single key without MKI only (what the worker uses).
		if (mki != nullptr || mkiLen != 0)
			return srtp_err_status_bad_param;

		if (keyLen + saltLen > SRTP_MAX_KEY_LEN)
			return srtp_err_status_bad_param;

		std::memcpy(policy->key, key, keyLen);
		std::memcpy(policy->key + keyLen, salt, saltLen);

		return srtp_err_status_ok;
	}

	inline srtp_err_status_t policy_set_allow_repeat_tx(srtp_policy_t policy, bool allow)
	{
		if (policy == nullptr)
			return srtp_err_status_bad_param;

		policy->allow_repeat_tx = allow ? 1 : 0;

		return srtp_err_status_ok;
	}

	inline srtp_err_status_t policy_set_window_size(srtp_policy_t policy, size_t windowSize)
	{
		if (policy == nullptr)
			return srtp_err_status_bad_param;

		policy->window_size = static_cast<unsigned long>(windowSize);

		return srtp_err_status_ok;
	}

	// Copies `in` to `out` (unless the same buffer) and runs libsrtp2's in-place call there.
	template<typename Fn>
	inline srtp_err_status_t run_in_place(
	  Fn fn, srtp_t ctx, const uint8_t* in, size_t inLen, uint8_t* out, size_t* outLen, size_t growth)
	{
		if (in == nullptr || out == nullptr || outLen == nullptr)
			return srtp_err_status_bad_param;

		if (inLen > static_cast<size_t>(INT32_MAX) - growth)
			return srtp_err_status_bad_param;

		if (*outLen < inLen + growth)
			return srtp_err_status_buffer_small;

		if (out != in)
			std::memmove(out, in, inLen);

		int len = static_cast<int>(inLen);

		const srtp_err_status_t err = fn(ctx, out, &len);

		if (err != srtp_err_status_ok)
			return err;

		*outLen = static_cast<size_t>(len);

		return srtp_err_status_ok;
	}

	inline srtp_err_status_t protect(
	  srtp_t ctx, const uint8_t* rtp, size_t rtpLen, uint8_t* srtp, size_t* srtpLen, size_t mkiIndex)
	{
		if (mkiIndex != 0)
			return srtp_err_status_bad_mki;

		return run_in_place(::srtp_protect, ctx, rtp, rtpLen, srtp, srtpLen, SRTP_MAX_TRAILER_LEN);
	}

	inline srtp_err_status_t unprotect(
	  srtp_t ctx, const uint8_t* srtp, size_t srtpLen, uint8_t* rtp, size_t* rtpLen)
	{
		return run_in_place(::srtp_unprotect, ctx, srtp, srtpLen, rtp, rtpLen, 0);
	}

	inline srtp_err_status_t protect_rtcp(
	  srtp_t ctx, const uint8_t* rtcp, size_t rtcpLen, uint8_t* srtcp, size_t* srtcpLen, size_t mkiIndex)
	{
		if (mkiIndex != 0)
			return srtp_err_status_bad_mki;

		// libsrtp2 adds the SRTCP index (4 bytes) besides the trailer.
		return run_in_place(
		  ::srtp_protect_rtcp, ctx, rtcp, rtcpLen, srtcp, srtcpLen, SRTP_MAX_TRAILER_LEN + 4);
	}

	inline srtp_err_status_t unprotect_rtcp(
	  srtp_t ctx, const uint8_t* srtcp, size_t srtcpLen, uint8_t* rtcp, size_t* rtcpLen)
	{
		return run_in_place(::srtp_unprotect_rtcp, ctx, srtcp, srtcpLen, rtcp, rtcpLen, 0);
	}

	inline srtp_err_status_t stream_remove(srtp_t session, uint32_t ssrc)
	{
		return ::srtp_remove_stream(session, ssrc);
	}
} // namespace argus_srtp3

#define srtp_policy_create argus_srtp3::policy_create
#define srtp_policy_destroy argus_srtp3::policy_destroy
#define srtp_policy_set_ssrc argus_srtp3::policy_set_ssrc
#define srtp_policy_set_profile argus_srtp3::policy_set_profile
#define srtp_policy_add_key argus_srtp3::policy_add_key
#define srtp_policy_set_allow_repeat_tx argus_srtp3::policy_set_allow_repeat_tx
#define srtp_policy_set_window_size argus_srtp3::policy_set_window_size
#define srtp_protect argus_srtp3::protect
#define srtp_unprotect argus_srtp3::unprotect
#define srtp_protect_rtcp argus_srtp3::protect_rtcp
#define srtp_unprotect_rtcp argus_srtp3::unprotect_rtcp
#define srtp_stream_remove argus_srtp3::stream_remove

#endif
