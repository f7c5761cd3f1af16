// Plan's own look-ups, and the table of sources that plan places (PlanPlace) resolve against.

#include <atomic>
#include <mutex>
#include <stdexcept>

#include "tgt/plan.hpp"

namespace tgt {

namespace {

// A location known in full.
class FixedPlace : public PlanPlace::Source {
public:
    explicit FixedPlace(SourceLocation where) : where_(std::move(where)) {}
    SourceLocation resolve(std::uint32_t) const override { return where_; }

private:
    SourceLocation where_;
};

// The sources places refer to, by number, each with a count of the places that refer to it (a
// source goes, and its number is used again, when the last of them goes). The entries sit in
// blocks that never move, so a place reads its entry without a lock; only entering and leaving
// take one.
class SourceTable {
public:
    struct Entry {
        std::shared_ptr<const PlanPlace::Source> source;
        std::atomic<std::uint64_t> places{0};
    };

    // A new entry for `source`, with one place referring to it.
    std::uint32_t enter(std::shared_ptr<const PlanPlace::Source> source) {
        std::lock_guard lock(mutex_);
        std::uint32_t i;
        if (!free_.empty()) {
            i = free_.back();
            free_.pop_back();
        } else {
            if (next_ == kBlock * kBlocks) throw std::length_error("more than 2^28 plan sources at once");
            i = next_++;
            if (i % kBlock == 0) blocks_[i / kBlock].store(new Entry[kBlock], std::memory_order_release);
        }
        Entry& e = entry(i);
        e.source = std::move(source);
        e.places.store(1, std::memory_order_relaxed);
        return i;
    }

    Entry& entry(std::uint32_t i) const { return blocks_[i / kBlock].load(std::memory_order_acquire)[i % kBlock]; }

    void add_place(std::uint32_t i) const { entry(i).places.fetch_add(1, std::memory_order_relaxed); }

    void drop_place(std::uint32_t i) {
        Entry& e = entry(i);
        if (e.places.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
        std::shared_ptr<const PlanPlace::Source> gone;
        {
            std::lock_guard lock(mutex_);
            gone = std::move(e.source);
            free_.push_back(i);
        }
    }

private:
    static constexpr std::uint32_t kBlock = 4096, kBlocks = 1u << 16;  // at most 2^28 sources at once
    std::mutex mutex_;
    std::vector<std::uint32_t> free_;
    std::uint32_t next_ = 0;
    std::unique_ptr<std::atomic<Entry*>[]> blocks_ = std::make_unique<std::atomic<Entry*>[]>(kBlocks);
};

// Never destroyed: places in static objects may outlive any order of destruction.
SourceTable& sources() {
    static SourceTable* table = new SourceTable;
    return *table;
}

}  // namespace

PlanPlace::PlanPlace(const SourceLocation& where)
    : source_((sources().enter(std::make_shared<FixedPlace>(where)) + 1) | (where.line > 0 ? kLined : 0)) {}

PlanPlace::PlanPlace(std::shared_ptr<const Source> source, std::uint32_t at)
    : source_(source ? (sources().enter(std::move(source)) + 1) | kLined : 0), at_(at) {}

PlanPlace::PlanPlace(const PlanPlace& o) : source_(o.source_), at_(o.at_) {
    if (source_ & ~kLined) sources().add_place((source_ & ~kLined) - 1);
}

PlanPlace& PlanPlace::operator=(const PlanPlace& o) {
    if (this != &o) {
        if (o.source_ & ~kLined) sources().add_place((o.source_ & ~kLined) - 1);
        release();
        source_ = o.source_;
        at_ = o.at_;
    }
    return *this;
}

const MemberDetails& Member::no_details() {
    static const MemberDetails none;
    return none;
}

void PlanPlace::drop() {
    sources().drop_place((source_ & ~kLined) - 1);
}

PlanPlace PlanPlace::at(std::uint32_t at) const {
    PlanPlace p(*this);
    p.at_ = at;
    return p;
}

SourceLocation PlanPlace::resolve() const {
    if (!(source_ & ~kLined)) return {};
    return sources().entry((source_ & ~kLined) - 1).source->resolve(at_);
}

int Plan::step_index(std::string_view level) const {
    for (std::size_t i = 0; i < steps.size(); ++i)
        if (steps[i].level == level) return static_cast<int>(i);
    return -1;
}

std::vector<std::string> Plan::metric_ids() const {
    std::vector<std::string> ids;
    for (const auto& m : metrics)
        ids.push_back(m.id);
    return ids;
}

int Plan::metric_index(std::string_view id) const {
    for (std::size_t i = 0; i < metrics.size(); ++i)
        if (metrics[i].id == id) return static_cast<int>(i);
    return -1;
}

}  // namespace tgt
