// Looks up K57.8 in the built-in data through the installed headers and library; exits 0 when found.
#include <cstdio>

#include "clincode/catalog.h"

int main() {
  auto catalog = clincode::Catalog::Starter();
  auto hits = catalog->Lookup("K578");
  if (!hits.ok() || hits->empty()) return 1;
  std::printf("%s %s\n", hits->front().entry().code.c_str(), hits->front().entry().title.c_str());
  return hits->front().entry().code == "K57.8" ? 0 : 1;
}
