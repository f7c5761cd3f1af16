#pragma once
// The library's one thread pool: a fixed set of workers that run submitted tasks first come, first
// served. Callers keep their output deterministic by the futures they keep (in submission order).

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace tgt {

/// `threads` workers (at least 1) that run tasks in the order they are submitted. A task that
/// waits for another task needs a worker free for that one: a pool runs at most size() tasks at once.
/// The destructor runs every task already submitted, then joins the workers.
class ThreadPool {
public:
    explicit ThreadPool(int threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    /// How many workers run tasks.
    int size() const { return static_cast<int>(workers_.size()); }

    /// Queues `task`; its future gives what it returns or rethrows what it throws.
    template <class F>
    std::future<std::invoke_result_t<F>> submit(F task) {
        auto packaged = std::make_shared<std::packaged_task<std::invoke_result_t<F>()>>(std::move(task));
        auto result = packaged->get_future();
        enqueue([packaged] { (*packaged)(); });
        return result;
    }

    /// Waits until every task submitted so far has run.
    void wait();

private:
    void enqueue(std::function<void()> task);
    void work();

    std::mutex mutex_;
    std::condition_variable ready_;  ///< a task is queued, or the pool stops
    std::condition_variable idle_;   ///< no task is queued or running
    std::deque<std::function<void()>> tasks_;
    int running_ = 0;  ///< tasks taken by workers and not yet done
    bool stopping_ = false;
    std::vector<std::thread> workers_;
};

}  // namespace tgt
