#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>

#include "cli.hpp"

int main(int argc, char** argv) {
    // A standard stream started closed (`2>&-`): hold its number with /dev/null, or the first file
    // tgt opens would take it and receive what was meant for the terminal.
    for (int fd = 0; fd <= 2; ++fd)
        if (fcntl(fd, F_GETFD) == -1 && open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd) return 4;
    // A closed pipe (`tgt split … | head`) shows up as a write error that the CLI ends quietly on.
    std::signal(SIGPIPE, SIG_IGN);
    return tgt::cli::run(argc, argv, stdout, stderr);
}
