#pragma once
// The files an environment image carries besides its packages: the start script (its CMD),
// the health check and the Jupyter configuration. They are fixed assets: every per-spec
// setting reaches them through the environment variables below, which the Dockerfile's
// ENV sets to the spec's values and `deepdock up` may override when it runs the container
// (the bind address, the ports). The Jupyter token only ever comes from the container's
// environment at run time, never from the image.

#include <string>

namespace deepdock::gen {

// Runtime settings read by the start script and the health check.
inline constexpr const char* kEnvBindIp = "DEEPDOCK_BIND_IP";   // default 127.0.0.1
inline constexpr const char* kEnvJupyter = "DEEPDOCK_JUPYTER";  // lab | notebook | none
inline constexpr const char* kEnvJupyterPort = "DEEPDOCK_JUPYTER_PORT";
inline constexpr const char* kEnvJupyterToken = "DEEPDOCK_JUPYTER_TOKEN";  // run time only
inline constexpr const char* kEnvTensorboard = "DEEPDOCK_TENSORBOARD";     // true | false
inline constexpr const char* kEnvTensorboardPort = "DEEPDOCK_TENSORBOARD_PORT";
inline constexpr const char* kEnvTensorboardLogdir = "DEEPDOCK_TENSORBOARD_LOGDIR";

// POSIX sh. Starts TensorBoard in the background when enabled and installed, then execs
// Jupyter (lab or notebook) so it is the container's main process; with Jupyter off it
// waits, trapping TERM and INT so `docker stop` ends it at once even as PID 1.
std::string start_script();

// Python (3.5+ standard library only): exits 0 when Jupyter answers GET /api.
std::string jupyter_healthcheck_script();

// Jupyter configuration loaded through JUPYTER_CONFIG_PATH: the notebook directory and no
// browser. Jupyter Server (JupyterLab 3+, Notebook 7) reads the first, Notebook 6 the second.
std::string jupyter_server_config();
std::string jupyter_notebook_config();

// The python3 kernel spec, for a Jupyter whose own kernel spec names another interpreter:
// Debian's names /usr/bin/python3, which cannot import what pip put into the venv.
std::string python_kernel_spec(const std::string& python);

}  // namespace deepdock::gen
