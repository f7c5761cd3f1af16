#include <csignal>
#include <cstdio>

#include "cli.hpp"

int main(int argc, char** argv) {
    // A closed pipe (`tgt split … | head`) shows up as a write error that the CLI ends quietly on.
    std::signal(SIGPIPE, SIG_IGN);
    return tgt::cli::run(argc, argv, stdout, stderr);
}
