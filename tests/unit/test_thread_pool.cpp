// The library's one thread pool: results in submission order, errors through the futures, wait().

#include <atomic>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <future>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "tgt/thread_pool.hpp"

using tgt::ThreadPool;

TEST_CASE("thread pool: futures give each task's result, read in submission order") {
    ThreadPool pool(3);
    CHECK(pool.size() == 3);
    std::vector<std::future<long>> results;
    for (long i = 0; i < 200; ++i)
        results.push_back(pool.submit([i] { return i * i; }));
    long sum = 0;
    for (long i = 0; i < 200; ++i) {
        long got = results[static_cast<std::size_t>(i)].get();
        CHECK(got == i * i);
        sum += got;
    }
    CHECK(sum == 199L * 200L * 399L / 6);  // Σ i² for i < 200 = n(n+1)(2n+1)/6 with n = 199
}

TEST_CASE("thread pool: what a task throws comes out of its future, the others still run") {
    ThreadPool pool(2);
    auto bad = pool.submit([]() -> int { throw std::runtime_error("task failed"); });
    auto good = pool.submit([] { return 7; });
    CHECK_THROWS_WITH(bad.get(), "task failed");
    CHECK(good.get() == 7);
}

TEST_CASE("thread pool: wait() returns once every submitted task has run") {
    std::atomic<int> done{0};
    ThreadPool pool(4);
    for (int i = 0; i < 1000; ++i)
        pool.submit([&done] { ++done; });
    pool.wait();
    CHECK(done == 1000);
    pool.wait();  // idle: returns at once
    CHECK(done == 1000);
}

TEST_CASE("thread pool: size() tasks run at once, so tasks that wait for each other finish") {
    // Each of 3 tasks waits until all 3 have started: only a pool running them side by side ends.
    ThreadPool pool(3);
    std::mutex mutex;
    std::condition_variable all_started;
    int started = 0;
    std::vector<std::future<void>> tasks;
    for (int i = 0; i < 3; ++i)
        tasks.push_back(pool.submit([&] {
            std::unique_lock lock(mutex);
            ++started;
            all_started.notify_all();
            all_started.wait(lock, [&] { return started == 3; });
        }));
    for (auto& t : tasks)
        t.get();
    CHECK(started == 3);
}

TEST_CASE("thread pool: zero threads asked for is one worker, and the destructor runs what is queued") {
    std::atomic<int> done{0};
    {
        ThreadPool pool(0);
        CHECK(pool.size() == 1);
        for (int i = 0; i < 50; ++i)
            pool.submit([&done] { ++done; });
    }
    CHECK(done == 50);
}
