// The JSON API under /v1/ (and /health): codes, search, guidance, the coding assistant, checking one
// episode, and validating or matching a whole file streamed in. The shapes are the CLI's --json shapes.
#ifndef CLINCODE_APPS_SERVER_API_ROUTES_H_
#define CLINCODE_APPS_SERVER_API_ROUTES_H_

#include <memory>

#include "engine.h"
#include "router.h"

namespace clincode::server {

void AddApiRoutes(Router* router, std::shared_ptr<const Engine> engine);

}  // namespace clincode::server

#endif  // CLINCODE_APPS_SERVER_API_ROUTES_H_
