#pragma once
// CompactString: a string of 16 bytes where a std::string takes 32 — a member's id. A plan may
// hold millions of members; their ids are short ("r12345", "华南", "S0042") and rarely change.

#include <compare>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace tgt {

/// Up to 15 bytes are kept in place (as std::string's short strings are), longer ones on the heap.
/// Reads as a std::string_view; converts to std::string where one is wanted (a copy).
class CompactString {
public:
    CompactString() { clear_inline(); }
    // Implicit, as the std::string it stands for: `m.id = item.text;`.
    CompactString(std::string_view s) { assign(s); }
    CompactString(const std::string& s) : CompactString(std::string_view(s)) {}
    CompactString(const char* s) : CompactString(std::string_view(s)) {}
    CompactString(const CompactString& o) : CompactString(o.view()) {}
    CompactString(CompactString&& o) noexcept {
        std::memcpy(bytes_, o.bytes_, sizeof bytes_);
        o.clear_inline();
    }
    CompactString& operator=(const CompactString& o) {
        if (this != &o) *this = CompactString(o);
        return *this;
    }
    CompactString& operator=(CompactString&& o) noexcept {
        if (this != &o) {
            release();
            std::memcpy(bytes_, o.bytes_, sizeof bytes_);
            o.clear_inline();
        }
        return *this;
    }
    CompactString& operator=(std::string_view s) {
        release();
        assign(s);
        return *this;
    }
    CompactString& operator=(const std::string& s) { return *this = std::string_view(s); }
    CompactString& operator=(const char* s) { return *this = std::string_view(s); }
    ~CompactString() { release(); }

    std::string_view view() const {
        if (on_heap()) return {heap_data(), heap_size()};
        return {bytes_, static_cast<std::size_t>(bytes_[kTag])};
    }
    operator std::string_view() const { return view(); }  // NOLINT: reads as the text it holds
    explicit operator std::string() const { return str(); }
    std::string str() const { return std::string(view()); }
    const char* data() const { return on_heap() ? heap_data() : bytes_; }
    std::size_t size() const { return on_heap() ? heap_size() : static_cast<std::size_t>(bytes_[kTag]); }
    std::size_t length() const { return size(); }
    bool empty() const { return size() == 0; }

    friend bool operator==(const CompactString& a, const CompactString& b) { return a.view() == b.view(); }
    friend bool operator==(const CompactString& a, std::string_view b) { return a.view() == b; }
    friend bool operator==(const CompactString& a, const std::string& b) { return a.view() == b; }
    friend bool operator==(const CompactString& a, const char* b) { return a.view() == b; }
    friend std::strong_ordering operator<=>(const CompactString& a, const CompactString& b) {
        return a.view() <=> b.view();
    }
    friend std::strong_ordering operator<=>(const CompactString& a, std::string_view b) { return a.view() <=> b; }
    friend std::string operator+(const std::string& a, const CompactString& b) { return a + std::string(b.view()); }
    friend std::string operator+(const CompactString& a, const std::string& b) { return std::string(a.view()) + b; }
    friend std::string operator+(const char* a, const CompactString& b) { return a + std::string(b.view()); }
    friend std::string operator+(const CompactString& a, const char* b) { return std::string(a.view()) + b; }

private:
    static constexpr std::size_t kTag = 15;  // inline: the size (0–15); on the heap: kHeap
    static constexpr char kHeap = static_cast<char>(0x80);
    bool on_heap() const { return bytes_[kTag] == kHeap; }
    const char* heap_data() const {
        const char* p;
        std::memcpy(&p, bytes_, sizeof p);
        return p;
    }
    std::size_t heap_size() const {
        std::uint32_t n;
        std::memcpy(&n, bytes_ + sizeof(char*), sizeof n);
        return n;
    }
    void clear_inline() { std::memset(bytes_, 0, sizeof bytes_); }
    void assign(std::string_view s) {
        if (s.size() <= kTag) {
            std::memset(bytes_, 0, sizeof bytes_);
            if (!s.empty()) std::memcpy(bytes_, s.data(), s.size());
            bytes_[kTag] = static_cast<char>(s.size());
            return;
        }
        char* p = new char[s.size()];
        std::memcpy(p, s.data(), s.size());
        auto n = static_cast<std::uint32_t>(s.size());
        std::memset(bytes_, 0, sizeof bytes_);
        std::memcpy(bytes_, &p, sizeof p);
        std::memcpy(bytes_ + sizeof p, &n, sizeof n);
        bytes_[kTag] = kHeap;
    }
    void release() {
        if (on_heap()) delete[] heap_data();
        clear_inline();
    }

    alignas(8) char bytes_[16];
};

}  // namespace tgt

/// Formats as the text it holds.
template <>
struct fmt::formatter<tgt::CompactString> : fmt::formatter<std::string_view> {
    template <typename FormatContext>
    auto format(const tgt::CompactString& s, FormatContext& ctx) const {
        return fmt::formatter<std::string_view>::format(s.view(), ctx);
    }
};
