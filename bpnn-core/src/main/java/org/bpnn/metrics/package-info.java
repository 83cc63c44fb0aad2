/**
 * Metrics: accuracy, top-k accuracy, binary ROC AUC and average precision, a precision-recall curve with threshold
 * pickers ({@link org.bpnn.metrics.PrecisionRecallCurve}), confusion matrix with per-class and macro precision/recall/F1,
 * and regression errors (MSE, RMSE, MAE, R^2); {@link org.bpnn.metrics.Metric} names them (one class's precision, recall
 * and F1 too) for the trainer, and {@link org.bpnn.metrics.Metric#inTargetUnits} reads a regression error in the units of
 * targets the network was trained on normalised.
 */
package org.bpnn.metrics;
