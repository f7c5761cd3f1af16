// The tgt executable: the process's own streams, made safe to use, handed to cli::run.

#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>

#include "cli.hpp"

int main(int argc, char** argv) {
    // A standard stream started closed (`2>&-`): hold its number with /dev/null, or the first file
    // tgt opens would take it and receive what was meant for the terminal.
    bool closed[3] = {};
    for (int fd = 0; fd <= 2; ++fd) {
        closed[fd] = fcntl(fd, F_GETFD) == -1;
        if (closed[fd] && open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd) return 4;
    }
    // Data for a closed standard output goes nowhere: a stream that refuses writes (EBADF) makes
    // that the output failure it is (exit 4), not a quiet success.
    std::FILE* out = closed[1] ? std::fopen("/dev/null", "r") : stdout;
    if (!out) return 4;
    // A closed pipe (`tgt split … | head`) shows up as a write error that the CLI ends quietly on.
    std::signal(SIGPIPE, SIG_IGN);
    return tgt::cli::run(argc, argv, stdin, out, stderr);
}
