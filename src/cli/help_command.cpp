// `hc help [COMMAND...]` and the one-line form of command-line usage errors. Both name a
// command by its path from the root ("hc cluster up"), so the hint points at the help that
// explains the mistake.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace hc::cli {

namespace {

// The subcommand of `parent` called `name`, or nullptr.
CLI::App* find_subcommand(CLI::App* parent, const std::string& name) {
  std::vector<CLI::App*> found =
      parent->get_subcommands([&name](CLI::App* sub) { return sub->check_name(name); });
  return found.empty() ? nullptr : found.front();
}

Status print_help(CLI::App* root, const std::vector<std::string>& topic) {
  CLI::App* target = root;
  std::string path = "hc";
  for (const std::string& word : topic) {
    CLI::App* sub = find_subcommand(target, word);
    if (sub == nullptr) {
      return invalid_input("no command \"" + path + " " + word + "\" (see " + path + " --help)");
    }
    target = sub;
    path += " " + sub->get_name();
  }
  std::string text = target->get_formatter()->make_help(target, path, CLI::AppFormatMode::Normal);
  std::fputs(text.c_str(), stdout);
  return Status::ok_status();
}

}  // namespace

void register_help_command(CLI::App& app) {
  auto topic = std::make_shared<std::vector<std::string>>();
  CLI::App* help = app.add_subcommand("help", "Show help for hc or one of its commands (hc help cluster up)");
  help->add_option("command", *topic, "The command to explain, e.g. `record seal`");
  CLI::App* root = &app;
  run_with(help, [root, topic]() { return print_help(root, *topic); });
}

std::string usage_error_line(const CLI::App& root, const std::string& what) {
  std::string path = "hc";
  const CLI::App* at = &root;
  while (true) {
    std::vector<const CLI::App*> chosen = at->get_subcommands([](const CLI::App* sub) { return sub->parsed(); });
    if (chosen.empty()) break;
    at = chosen.front();
    path += " " + at->get_name();
  }
  // CLI11 checks required options before it complains about words it did not understand;
  // the word is the likelier mistake, so it is named first.
  std::string message = what;
  std::vector<std::string> extra = at->remaining();
  if (!extra.empty()) {
    const bool has_commands = !at->get_subcommands([](const CLI::App*) { return true; }).empty();
    const bool looks_like_command = has_commands && extra.front().rfind('-', 0) != 0;
    message = std::string(looks_like_command ? "unknown command \"" : "unknown option or argument \"") +
              extra.front().substr(0, 64) + "\"";
  }
  std::replace(message.begin(), message.end(), '\n', ' ');
  std::replace(message.begin(), message.end(), '\r', ' ');
  return "hc: error: " + message + " (see " + path + " --help)";
}

}  // namespace hc::cli
