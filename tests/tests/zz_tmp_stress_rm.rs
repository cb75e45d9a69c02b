//! Temporary stress probe (to be deleted).
use duban::App;
use duban_tests::history::{assign, at, measure, plan, progress};
use duban_tests::{Backend, spawn_app};
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probe() {
    for backend in Backend::ALL {
        let Some(app) = spawn_app(backend).await else {
            continue;
        };
        at(&app, "2025-05-01T09:00:00+08:00");
        let d = app.department("住建局").await;
        let p = plan(&app, "p").await;
        let m = measure(&app, &p, "1", "m").await;
        assign(&app, &m, &d, &[], "2025-12-31").await;
        let app = Arc::new(app);
        let writer = {
            let app = Arc::clone(&app);
            let m = m.clone();
            tokio::spawn(async move {
                for i in 0..150 {
                    progress(&app, &app.office, &m, i % 100, "x").await;
                }
            })
        };
        let mut bad = 0;
        for _ in 0..40 {
            let second = App::open(&app.db.url(), app.app.clock.clone())
                .await
                .expect("open");
            let head = second.read.position();
            let (v, pos) = second.read.read(|mm| {
                (
                    mm.tasks.values().map(|t| t.task.version).max().unwrap_or(0),
                    mm.position,
                )
            });
            let actual = second
                .store
                .read_stream(&m, duban_store::StreamBound::All)
                .await
                .unwrap();
            let actual_v = actual.iter().filter(|e| e.position <= pos).count() as i64;
            if v as i64 != actual_v {
                bad += 1;
                eprintln!(
                    "{backend:?} DOUBLE: model version {v} stream version {actual_v} at {pos} head {head}"
                );
            }
        }
        writer.await.unwrap();
        eprintln!("{backend:?} bad={bad}");
    }
}
