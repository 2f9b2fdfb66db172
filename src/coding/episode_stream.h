// Reading a file of episodes (HES-like CSV or JSON lines) in chunks on every core, with each chunk's
// result delivered in input order: the engine under `validate` and `match`. Memory does not grow with the
// input; a row that cannot be read is handed on with the reason, never dropped.
#ifndef CLINCODE_CODING_EPISODE_STREAM_H_
#define CLINCODE_CODING_EPISODE_STREAM_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "clincode/episode.h"
#include "clincode/status.h"
#include "clincode/validate_stream.h"

namespace clincode::coding {

// The rows of one chunk. Made, filled and finished on a worker thread; then delivered, in input order, on
// the thread that called StreamEpisodes.
class EpisodeBatch {
 public:
  virtual ~EpisodeBatch() = default;
  virtual void Add(const Episode& episode) = 0;
  virtual void Unreadable(std::size_t line, const std::string& why) = 0;
  // After the last row of the chunk, still on the worker thread (formatting output belongs here).
  virtual void Finish() {}
};

// Streams `path` through batches. Fails (kIoError, kInvalidArgument) only when the file cannot be read
// at all or has no header. `keep` names columns (or JSON fields) whose values go to Episode::extra; with
// `require`, a CSV header without the first kept column fails (kInvalidArgument, naming it).
struct StreamColumns {
  std::vector<std::string> keep;
  bool require_first = false;
};
Status StreamEpisodes(const std::string& path, const ValidateOptions& options,
                      const std::function<std::unique_ptr<EpisodeBatch>()>& make,
                      const std::function<void(EpisodeBatch&)>& deliver, const StreamColumns& columns = {});

}  // namespace clincode::coding

#endif  // CLINCODE_CODING_EPISODE_STREAM_H_
