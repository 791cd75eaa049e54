// @ts-check

/**
 * The request lifecycle: expiry of pending requests, rejection with a reason,
 * and where the last task failed (replacing the free-text message).
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('connection_requests', table => {
    table.timestamp('expires_at', { useTz: true }).nullable();
    table.string('rejected_by').nullable();
    table.text('reason').nullable();
    table.text('failure').nullable();
    table.dropColumn('message');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('connection_requests', table => {
    table.dropColumn('expires_at');
    table.dropColumn('rejected_by');
    table.dropColumn('reason');
    table.dropColumn('failure');
    table.text('message').nullable();
  });
};
