/*
 * The job of gst-rtsp-server's examples/test-launch, as the native reference for the pistream RTSP benchmark:
 * serve one launch line at one path on 127.0.0.1.
 *
 * Usage: test-launch PORT PATH SHARED(0|1) "( launch line with pay0 )"
 * Prints "READY <port>" once it listens. Build: see run.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <gst/gst.h>
#include <gst/rtsp-server/rtsp-server.h>

static gboolean
expire_sessions (gpointer pool)
{
  gst_rtsp_session_pool_cleanup (GST_RTSP_SESSION_POOL (pool));
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char *argv[])
{
  GMainLoop *loop;
  GstRTSPServer *server;
  GstRTSPMountPoints *mounts;
  GstRTSPMediaFactory *factory;
  GstRTSPSessionPool *pool;

  gst_init (&argc, &argv);
  if (argc != 5) {
    g_printerr ("usage: %s PORT PATH SHARED(0|1) LAUNCH\n", argv[0]);
    return 2;
  }

  loop = g_main_loop_new (NULL, FALSE);
  server = gst_rtsp_server_new ();
  gst_rtsp_server_set_address (server, "127.0.0.1");
  gst_rtsp_server_set_service (server, argv[1]);

  mounts = gst_rtsp_server_get_mount_points (server);
  factory = gst_rtsp_media_factory_new ();
  gst_rtsp_media_factory_set_launch (factory, argv[4]);
  gst_rtsp_media_factory_set_shared (factory, atoi (argv[3]) != 0);
  gst_rtsp_mount_points_add_factory (mounts, argv[2], factory);
  g_object_unref (mounts);

  if (gst_rtsp_server_attach (server, NULL) == 0) {
    g_printerr ("cannot listen on port %s\n", argv[1]);
    return 1;
  }
  pool = gst_rtsp_server_get_session_pool (server);
  g_timeout_add_seconds (2, expire_sessions, pool);

  g_print ("READY %d\n", gst_rtsp_server_get_bound_port (server));
  fflush (stdout);
  g_main_loop_run (loop);
  return 0;
}
