from genbench.placement import gpus_for_worker, visible_gpus, worker_number


def test_round_robin_groups():
    gpus = ["0", "1", "2", "3"]
    assert [gpus_for_worker(gpus, w) for w in range(5)] == [["0"], ["1"], ["2"], ["3"], ["0"]]
    assert [gpus_for_worker(gpus, w, 2) for w in range(3)] == [["0", "1"], ["2", "3"], ["0", "1"]]
    assert gpus_for_worker([], 3) == []


def test_worker_number():
    assert worker_number("gw12") == 12 and worker_number("master") == 0


def test_visible_gpus_follows_cuda_visible_devices(monkeypatch):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "2, 5")
    assert visible_gpus() == ["2", "5"]
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "-1")
    assert visible_gpus() == []
