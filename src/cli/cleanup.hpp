#pragma once
// What a signal removes: one registry of a run's temporary files and folders, shared by every
// writer (a single -o file, a folder of sheets), so a Ctrl-C or a kill leaves nothing behind.

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace tgt::cli {

/// What a signal (INT, TERM, HUP, XFSZ, or a crash) removes before the process ends: the files,
/// then the folders, deepest first. It must not change while it is registered.
struct Leftovers {
    std::vector<std::string> files;
    std::vector<std::string> folders;
};

/// Registers `what` for removal if a signal ends the process while this lives (a signal ignored
/// stays ignored). The process then ends as the signal would have: a shell sees 128 + signal.
/// Several may live at once; `what` must outlive this.
class RemovedOnSignal {
public:
    explicit RemovedOnSignal(const Leftovers& what);
    ~RemovedOnSignal();
    RemovedOnSignal(const RemovedOnSignal&) = delete;
    RemovedOnSignal& operator=(const RemovedOnSignal&) = delete;

private:
    int slot_ = -1;
};

/// Held while a registered file is being made: a signal's cleanup waits for it, so the file is
/// removed too. `allowed()` is false once a signal is ending the run; then make nothing.
class Creating {
public:
    Creating();
    ~Creating();
    Creating(const Creating&) = delete;
    Creating& operator=(const Creating&) = delete;
    bool allowed() const { return allowed_; }

private:
    bool allowed_ = false;
};

/// Removes, in `dir`, what runs killed with -9 left: entries named `prefix` + PID + a tail that
/// `tail_ok` accepts — regular files, or with `folders` folders and all they hold — whose PID is
/// no longer running (or is ours: a dead run's number given to us). A live run's are left alone.
void remove_dead_runs_leftovers(const std::filesystem::path& dir, std::string_view prefix,
                                const std::function<bool(std::string_view)>& tail_ok, bool folders = false);

}  // namespace tgt::cli
