// @ts-check

/**
 * The scaffolder task that runs (or last ran) a request's provisioning or
 * removal, so that a task ending without an outcome fails its request.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('connection_requests', table => {
    table.string('task_id').nullable().index();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('connection_requests', table => {
    table.dropIndex(['task_id']);
    table.dropColumn('task_id');
  });
};
