#pragma once
// RareVector: a vector most of its holders leave empty (a member's rate targets, customers, ramp;
// a share's held amounts). One pointer (8 bytes) where a std::vector takes 24: a plan may hold
// millions of members, and these parts are rare. Reads and writes like std::vector.

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <utility>
#include <vector>

namespace tgt {

/// What a RareVector keeps beside its items by default: nothing.
struct NoCompanion {
    friend bool operator==(const NoCompanion&, const NoCompanion&) { return true; }
};

/// A std::vector kept behind one pointer, allocated on the first write; empty costs 8 bytes.
/// `Companion` is kept in the same block when given (a share's held amounts and how each came
/// about): two rare parts for one pointer.
template <typename T, typename Companion = NoCompanion>
class RareVector {
public:
    using value_type = T;
    using size_type = std::size_t;
    using difference_type = std::ptrdiff_t;
    using reference = T&;
    using const_reference = const T&;
    using iterator = T*;
    using const_iterator = const T*;

    RareVector() = default;
    // Implicit, as the std::vector it stands for: `member.rates = rates;`, `return step.ramp;`.
    RareVector(const std::vector<T>& v) : p_(v.empty() ? nullptr : std::make_unique<Block>(Block{v, {}})) {}
    RareVector(std::vector<T>&& v) : p_(v.empty() ? nullptr : std::make_unique<Block>(Block{std::move(v), {}})) {}
    RareVector(std::initializer_list<T> items)
        : p_(items.size() == 0 ? nullptr : std::make_unique<Block>(Block{std::vector<T>(items), {}})) {}
    /// `n` copies of `value`.
    RareVector(size_type n, const T& value) { assign(n, value); }
    RareVector(const RareVector& o) : p_(o.p_ ? std::make_unique<Block>(*o.p_) : nullptr) {}
    RareVector(RareVector&&) noexcept = default;
    RareVector& operator=(const RareVector& o) {
        if (this != &o) p_ = o.p_ ? std::make_unique<Block>(*o.p_) : nullptr;
        return *this;
    }
    RareVector& operator=(RareVector&&) noexcept = default;

    /// The contents as a std::vector (an empty one when nothing was written).
    const std::vector<T>& vec() const { return p_ ? p_->items : empty_vector(); }
    operator const std::vector<T>&() const { return vec(); }  // NOLINT: reads as the vector it stands for
    /// The vector itself, for writing (allocated now if need be).
    std::vector<T>& edit() {
        if (!p_) p_ = std::make_unique<Block>();
        return p_->items;
    }

    size_type size() const { return p_ ? p_->items.size() : 0; }
    bool empty() const { return !p_ || p_->items.empty(); }
    T* data() { return p_ ? p_->items.data() : nullptr; }
    const T* data() const { return p_ ? p_->items.data() : nullptr; }
    iterator begin() { return data(); }
    iterator end() { return data() + size(); }
    const_iterator begin() const { return data(); }
    const_iterator end() const { return data() + size(); }
    T& operator[](size_type i) { return p_->items[i]; }
    const T& operator[](size_type i) const { return p_->items[i]; }
    T& at(size_type i) { return edit().at(i); }
    const T& at(size_type i) const { return vec().at(i); }
    T& front() { return p_->items.front(); }
    const T& front() const { return p_->items.front(); }
    T& back() { return p_->items.back(); }
    const T& back() const { return p_->items.back(); }

    void push_back(const T& value) { edit().push_back(value); }
    void push_back(T&& value) { edit().push_back(std::move(value)); }
    template <typename... Args>
    T& emplace_back(Args&&... args) {
        return edit().emplace_back(std::forward<Args>(args)...);
    }
    void assign(size_type n, const T& value) { edit().assign(n, value); }
    template <typename It>
    void assign(It first, It last) {
        edit().assign(first, last);
    }
    void resize(size_type n) { edit().resize(n); }
    void resize(size_type n, const T& value) { edit().resize(n, value); }
    void reserve(size_type n) { edit().reserve(n); }
    /// Drops the items (and the block, unless a companion is kept in it).
    void clear() {
        if (p_ && !(p_->companion == Companion{}))
            p_->items.clear();
        else
            p_.reset();
    }

    /// The companion (a default one when none was written).
    const Companion& companion() const { return p_ ? p_->companion : empty_companion(); }
    /// The companion, for writing (the block allocated now if need be).
    Companion& edit_companion() {
        if (!p_) p_ = std::make_unique<Block>();
        return p_->companion;
    }
    template <typename... Args>
    iterator insert(const_iterator at, Args&&... args) {
        difference_type offset = at - std::as_const(*this).data();
        auto& v = edit();
        auto it = v.insert(v.begin() + offset, std::forward<Args>(args)...);
        return v.data() + (it - v.begin());
    }

    friend bool operator==(const RareVector& a, const RareVector& b) {
        return a.vec() == b.vec() && a.companion() == b.companion();
    }
    friend bool operator!=(const RareVector& a, const RareVector& b) { return !(a == b); }

private:
    static const std::vector<T>& empty_vector() {
        static const std::vector<T> none;
        return none;
    }

    static const Companion& empty_companion() {
        static const Companion none{};
        return none;
    }

    struct Block {
        std::vector<T> items;
        [[no_unique_address]] Companion companion;
    };
    std::unique_ptr<Block> p_;
};

}  // namespace tgt
