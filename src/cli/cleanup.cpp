#include "cleanup.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <iterator>
#include <limits>
#include <mutex>

namespace tgt::cli {

namespace {

// The registry lives in statics the handler reads with lock-free atomics; a handler only calls
// unlink, rmdir, nanosleep, sigaction and raise (async-signal-safe).
constexpr int kSlots = 8;
std::atomic<const Leftovers*> registered[kSlots];
std::mutex registering;  // install and restore the handlers (never taken by a handler)
int live = 0;            // slots in use, under `registering`

std::atomic<int> cleanup{0};      // 0 not begun, 1 under way (on some thread), 2 done
std::atomic<bool> ending{false};  // no new file is made once set
std::atomic<int> creating{0};     // threads between deciding to make a file and having made it
thread_local bool this_thread_creating = false;
// Every signal whose default ends the process: those sent (TERM, INT, QUIT, timers…) and faults.
constexpr int cleanup_signals[] = {SIGINT,  SIGTERM, SIGHUP,  SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM,
                                   SIGPROF, SIGXFSZ, SIGXCPU, SIGSEGV, SIGBUS,  SIGABRT, SIGFPE,  SIGILL};
struct sigaction previous[std::size(cleanup_signals)];
bool installed[std::size(cleanup_signals)] = {};

void nap() {
    struct timespec millisecond {
        0, 1000000
    };
    ::nanosleep(&millisecond, nullptr);
}

extern "C" void remove_leftovers(int sig, siginfo_t* info, void*) {
    int idle = 0;
    if (cleanup.compare_exchange_strong(idle, 1)) {
        // Once no other thread is about to make a file, one pass over the names finds every file.
        ending = true;
        for (int i = 0; i < 1000 && creating - (this_thread_creating ? 1 : 0) > 0; ++i)
            nap();
        for (auto& slot : registered)
            if (const Leftovers* l = slot.load()) {
                for (const auto& f : l->files)
                    ::unlink(f.c_str());
                for (const auto& d : l->folders)
                    ::rmdir(d.c_str());
            }
        cleanup = 2;
    } else {
        for (int i = 0; i < 2000 && cleanup != 2; ++i)  // another thread's signal is cleaning up
            nap();
    }
    // Then what would have happened without us: the previous handler (a sanitizer's report) or
    // the default (the process ends). A real fault re-runs its instruction and faults again; a
    // signal that was sent (kill, raise, a timer, the terminal) is raised again.
    for (std::size_t i = 0; i < std::size(cleanup_signals); ++i)
        if (cleanup_signals[i] == sig) ::sigaction(sig, &previous[i], nullptr);
    bool fault = sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL;
    if (!fault || !info || info->si_code <= 0) ::raise(sig);
}

}  // namespace

RemovedOnSignal::RemovedOnSignal(const Leftovers& what) {
    std::lock_guard lock(registering);
    for (int i = 0; i < kSlots && slot_ < 0; ++i)
        if (!registered[i].load()) slot_ = i;
    if (slot_ < 0) return;  // more writers at once than slots: these files are left to the next run
    registered[slot_] = &what;
    if (live++ > 0) return;
    cleanup = 0;
    ending = false;
    struct sigaction action {};
    action.sa_sigaction = remove_leftovers;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    for (std::size_t i = 0; i < std::size(cleanup_signals); ++i) {
        ::sigaction(cleanup_signals[i], nullptr, &previous[i]);
        installed[i] = previous[i].sa_handler != SIG_IGN;
        if (installed[i]) ::sigaction(cleanup_signals[i], &action, nullptr);
    }
}

RemovedOnSignal::~RemovedOnSignal() {
    if (slot_ < 0) return;
    std::lock_guard lock(registering);
    if (--live == 0)
        for (std::size_t i = 0; i < std::size(cleanup_signals); ++i)
            if (installed[i]) ::sigaction(cleanup_signals[i], &previous[i], nullptr);
    registered[slot_] = nullptr;
}

Creating::Creating() {
    ++creating;
    this_thread_creating = true;
    allowed_ = !ending;
}

Creating::~Creating() {
    this_thread_creating = false;
    --creating;
}

void remove_dead_runs_leftovers(const std::filesystem::path& dir, std::string_view prefix,
                                const std::function<bool(std::string_view)>& tail_ok, bool folders) {
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (!name.starts_with(prefix)) continue;
        std::size_t digits = prefix.size();
        while (digits < name.size() && digits - prefix.size() < 10 && name[digits] >= '0' && name[digits] <= '9')
            ++digits;
        if (digits == prefix.size() || !tail_ok(std::string_view(name).substr(digits))) continue;
        long long pid = std::stoll(name.substr(prefix.size(), digits - prefix.size()));
        if (pid <= 0 || pid > std::numeric_limits<pid_t>::max()) continue;
        bool gone = pid == ::getpid() || (::kill(static_cast<pid_t>(pid), 0) == -1 && errno == ESRCH);
        struct stat st {};
        if (!gone || ::lstat(it->path().c_str(), &st) != 0) continue;
        std::error_code ignored;
        if (S_ISREG(st.st_mode))
            ::unlink(it->path().c_str());
        else if (folders && S_ISDIR(st.st_mode))
            std::filesystem::remove_all(it->path(), ignored);
    }
}

}  // namespace tgt::cli
